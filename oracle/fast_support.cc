#include "fast_support.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "cvm/errors.h"
#include "cvm/op_case.h"
#include "cvm/validate.h"
#include "fast/kernel.h"
#include "fast/run_op.h"
#include "gen/chooser.h"
#include "gen/values.h"
#include "support.h"

namespace cvm::oracle {
namespace {

// What one run produced: outputs, or the error class and label.
struct Outcome {
  std::vector<Tensor> outputs;
  std::string error;  // "logic <label>" / "runtime <label>" / "other <what>"
};

template <typename Fn>
Outcome capture(Fn&& fn) {
  Outcome o;
  try {
    o.outputs = fn();
  } catch (const LogicError& e) {
    o.error = "logic " + std::string(e.label());
  } catch (const RuntimeError& e) {
    o.error = "runtime " + std::string(e.label()) + " (" + e.what() + ")";
  } catch (const std::exception& e) {
    o.error = std::string("other ") + e.what();
  }
  return o;
}

fast::ThreadPool& pool(int threads) {
  static std::map<int, std::unique_ptr<fast::ThreadPool>> pools;
  auto& p = pools[threads];
  if (!p) p = std::make_unique<fast::ThreadPool>(threads);
  return *p;
}

std::string describe_case(const std::string& op, const AttrMap& attrs,
                          const std::vector<Tensor>& inputs) {
  std::string s = str("op ", op, ", attrs {");
  for (const auto& [k, v] : attrs) s += str(s.back() == '{' ? "" : ", ", k, ": '", v, "'");
  s += "}, inputs";
  for (const Tensor& t : inputs) s += str(" ", shape_str(t.shape), "/p", t.precision);
  return s;
}

// The values of every input, for small cases (a failure report can then be
// replayed with `cvm op`).
std::string dump_inputs(const std::vector<Tensor>& inputs) {
  int64_t total = 0;
  for (const Tensor& t : inputs) total += t.size();
  if (total > 256) return " (inputs too large to print)";
  return "\n  inputs: " + tensors_to_json(inputs);
}

}  // namespace

std::string fast_vs_reference(const std::string& op, const AttrMap& attrs,
                              const std::vector<Tensor>& inputs) {
  const Outcome ref = capture([&] { return run_reference(op, attrs, inputs).outputs; });
  for (bool portable : {false, true})
  for (int threads : kFastThreadCounts)
    for (bool constant : {false, true}) {
      const std::vector<bool> mask(inputs.size(), constant);
      fast::force_portable(portable);
      const Outcome got =
          capture([&] { return fast::run_fast_op(op, attrs, inputs, pool(threads), mask); });
      fast::force_portable(false);
      const std::string where = str(describe_case(op, attrs, inputs), "; ", threads, " threads",
                                    constant ? ", constant inputs" : "",
                                    portable ? ", portable paths" : "");
      if (ref.error != got.error)
        return str(where, ": reference ", ref.error.empty() ? "succeeded" : ref.error, ", fast ",
                   got.error.empty() ? "succeeded" : got.error, dump_inputs(inputs));
      if (!ref.error.empty()) continue;
      if (ref.outputs.size() != got.outputs.size())
        return str(where, ": ", got.outputs.size(), " outputs, expected ", ref.outputs.size());
      for (size_t k = 0; k < ref.outputs.size(); ++k) {
        const std::string diff = describe_difference(ref.outputs[k], got.outputs[k]);
        if (!diff.empty()) return str(where, ": output ", k, ": ", diff, dump_inputs(inputs));
      }
    }
  return "";
}

Tensor seeded_tensor(const Shape& shape, int precision, uint64_t seed) {
  gen::SeededChooser c(seed);
  return gen::random_tensor(c, TensorType{shape, precision});
}

void expect_fast_matches_reference(const std::string& op, const AttrMap& attrs,
                                   const std::vector<Tensor>& inputs) {
  EXPECT_EQ(fast_vs_reference(op, attrs, inputs), "");
}

}  // namespace cvm::oracle
