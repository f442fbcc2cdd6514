#include "gen/differential.h"

#include <map>
#include <memory>
#include <mutex>

#include "cvm/errors.h"
#include "cvm/op_case.h"
#include "cvm/validate.h"
#include "fast/kernel.h"
#include "fast/run_op.h"

namespace cvm::gen {
namespace {

// One pool per thread count, kept for the process: pools are costly to start
// and the comparisons run thousands of times.
fast::ThreadPool& pool(int threads) {
  static std::mutex mutex;
  static std::map<int, std::unique_ptr<fast::ThreadPool>> pools;
  std::lock_guard lock(mutex);
  auto& p = pools[threads];
  if (!p) p = std::make_unique<fast::ThreadPool>(threads);
  return *p;
}

}  // namespace

Outcome capture(const std::function<std::vector<Tensor>()>& fn) {
  Outcome o;
  try {
    o.outputs = fn();
  } catch (const LogicError& e) {
    o.error = "logic " + e.label();
  } catch (const RuntimeError& e) {
    // A constraint upstream reports with code 2 is a rejection like a logic
    // error; any other runtime error (a bound) keeps its message for the report.
    o.error = is_runtime_label(e.label()) ? "runtime " + e.label()
                                          : "runtime " + e.label() + " (" + e.what() + ")";
  } catch (const std::exception& e) {
    o.error = std::string("other ") + e.what();
  }
  return o;
}

bool is_rejection(const Outcome& o) {
  if (o.error.starts_with("logic ")) return true;
  if (!o.error.starts_with("runtime ")) return false;
  const std::string label = o.error.substr(8, o.error.find(' ', 8) - 8);
  return is_runtime_label(label);
}

std::string first_difference(const Tensor& expected, const Tensor& actual) {
  if (expected.shape != actual.shape)
    return str("shape ", shape_str(actual.shape), " != expected ", shape_str(expected.shape));
  if (expected.precision != actual.precision)
    return str("precision ", actual.precision, " != expected ", expected.precision);
  if (expected.data.size() != actual.data.size())
    return str(actual.data.size(), " values != expected ", expected.data.size());
  for (size_t i = 0; i < expected.data.size(); ++i)
    if (expected.data[i] != actual.data[i])
      return str("first difference at coordinate ",
                 shape_str(unravel(static_cast<int64_t>(i), expected.shape)), " (flat ", i,
                 "): got ", actual.data[i], ", expected ", expected.data[i]);
  return "";
}

std::string compare_outcomes(const Outcome& want, const Outcome& got) {
  if (want.error != got.error)
    return str("expected ", want.error.empty() ? "success" : want.error, ", got ",
               got.error.empty() ? "success" : got.error);
  if (!want.error.empty()) return "";
  if (want.outputs.size() != got.outputs.size())
    return str(got.outputs.size(), " outputs, expected ", want.outputs.size());
  for (size_t k = 0; k < want.outputs.size(); ++k) {
    const std::string d = first_difference(want.outputs[k], got.outputs[k]);
    if (!d.empty()) return str("output ", k, ": ", d);
  }
  return "";
}

std::string describe_case(const std::string& op, const AttrMap& attrs,
                          const std::vector<Tensor>& inputs) {
  std::string s = str("op ", op, ", attrs {");
  for (const auto& [k, v] : attrs) s += str(s.back() == '{' ? "" : ", ", k, ": '", v, "'");
  s += "}, inputs";
  for (const Tensor& t : inputs) s += str(" ", shape_str(t.shape), "/p", t.precision);
  return s;
}

std::string dump_inputs(const std::vector<Tensor>& inputs) {
  int64_t total = 0;
  for (const Tensor& t : inputs) total += t.size();
  if (total > 256) return " (inputs too large to print)";
  return "\n  inputs: " + tensors_to_json(inputs);
}

Outcome run_fast_config(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                        const FastConfig& config) {
  const std::vector<bool> mask(inputs.size(), config.constant_inputs);
  return capture(
      [&] { return fast::run_fast_op(op, attrs, inputs, pool(config.threads), {.isa = config.isa}, mask); });
}

std::vector<FastConfig> fast_configs(const std::string& op, const std::vector<int>& thread_counts) {
  std::vector<FastConfig> out;
  for (fast::Isa isa : fast::available_isas()) {
    if (!fast::isa_has_own_paths(op, isa)) continue;  // the same code as the level below
    for (int threads : thread_counts)
      for (bool constant : {false, true}) out.push_back({isa, threads, constant});
  }
  return out;
}

std::string config_name(const FastConfig& c) {
  return str("fast ", fast::isa_name(c.isa), " paths, ", c.threads, c.threads == 1 ? " thread" : " threads",
             c.constant_inputs ? ", constant inputs" : "");
}

}  // namespace cvm::gen
