// Target op_diff: one operator application decoded from bytes, run on the
// validator, the reference and the fast kernels.
// The bytes choose an op, a valid case of it (oracle/gen: shapes at tile
// boundaries, the full attribute space, values at the precision extremes)
// and then, for some inputs, one mutation that may make it invalid (an
// attribute value, a dimension, a precision, a value outside its precision,
// the input count). Properties:
//  - the reference rejects only with a constraint (guard.h), and with the validator's
//    label whenever the types alone are invalid;
//  - the fast kernels (1 and 3 threads, runtime and constant inputs, AVX2 and
//    portable paths) reject alike (same class and label) or return the
//    reference's bits (gen::fast_vs_reference).
#include <algorithm>
#include <cstdint>

#include "cvm/errors.h"
#include "cvm/intmath.h"
#include "cvm/op.h"
#include "cvm/validate.h"
#include "fuzz/op_diff.h"
#include "fuzz/target.h"
#include "gen/agreement.h"
#include "gen/chooser.h"
#include "gen/differential.h"
#include "gen/op_cases.h"
#include "gen/values.h"

namespace cvm::fuzz {
namespace {

// Attribute texts that probe the parser's range checks and syntax.
const std::vector<std::string> kAttrValues{
    "", "0", "1", "-1", "2", "-2", "3", "7", "32", "33", "2147483647", "2147483648",
    "-2147483649", "()", "(0,)", "(1, 1)", "(-1, 0)", "(2, 2, 2)", "[1,2,3]", "(1,,2)",
    "true", "false", "True", "None", "abc", "1.5", "0x10", " 1", "((1))"};

void mutate_attr(gen::Chooser& c, AttrMap& attrs) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : attrs) keys.push_back(k);
  keys.push_back("unknown_attribute");
  const std::string key = c.pick(keys);
  if (c.one_in(4) && attrs.contains(key)) {
    attrs.erase(key);
    return;
  }
  attrs[key] = c.coin() ? c.pick(kAttrValues) : std::to_string(c.range(-10, 70));
}

// Replaces input i's values with fresh random ones for its (new) type, when
// the type is small enough to allocate; false when it is not.
bool refill(gen::Chooser& c, Tensor& t) {
  int64_t n = 1;
  for (int64_t d : t.shape) {
    if (d < 0 || d > 4096) return false;
    n *= d;
    if (n > 4096) return false;
  }
  const int p = t.precision;
  t.precision = std::clamp(p, 1, 32);  // random_tensor needs a valid precision
  t = gen::random_tensor(c, t.type());
  t.precision = p;
  return true;
}

// One mutation; false when the mutated case is too large to build.
bool mutate(gen::Chooser& c, AttrMap& attrs, std::vector<Tensor>& inputs) {
  const int64_t kind = c.range(0, 15);
  if (kind == 0) {
    mutate_attr(c, attrs);
    return true;
  }
  if (inputs.empty()) return true;
  Tensor& t = inputs[static_cast<size_t>(c.range(0, static_cast<int64_t>(inputs.size()) - 1))];
  switch (kind) {
    case 1: {  // one dimension changed, added or removed
      const int64_t how = c.range(0, 2);
      if (how == 0 && !t.shape.empty())
        t.shape[static_cast<size_t>(c.range(0, static_cast<int64_t>(t.shape.size()) - 1))] = c.range(0, 70);
      else if (how == 1)
        t.shape.insert(t.shape.begin() + c.range(0, static_cast<int64_t>(t.shape.size())), c.range(0, 3));
      else if (!t.shape.empty())
        t.shape.erase(t.shape.begin() + c.range(0, static_cast<int64_t>(t.shape.size()) - 1));
      return refill(c, t);
    }
    case 2:  // a precision outside [1, 32] or different from the case's
      t.precision = static_cast<int>(c.range(-1, 33));
      return refill(c, t);
    case 3:  // one value outside its precision (tensor_c5)
      if (!t.data.empty()) {
        const int64_t r = prec_max(t.precision);  // the case's precision, in [1, 32]
        const int64_t bad[] = {r + 1, -r - 1, INT32_MIN, INT32_MAX};
        const int64_t v = bad[c.range(0, 3)];
        t.data[static_cast<size_t>(c.range(0, t.size() - 1))] = static_cast<int32_t>(std::clamp<int64_t>(v, INT32_MIN, INT32_MAX));
      }
      return true;
    case 4:  // an input too many or too few
      if (c.coin()) inputs.push_back(inputs.front());
      else inputs.pop_back();
      return true;
    default:  // most cases stay valid: they test the kernels
      return true;
  }
}

}  // namespace

std::optional<DecodedOpCase> decode_op_case(Bytes input, std::string& report) {
  gen::BytesChooser c(input);
  const auto ops = all_ops();
  const OpDef* op = ops[static_cast<size_t>(c.range(0, static_cast<int64_t>(ops.size()) - 1))];
  gen::CaseRequest request;
  request.max_elements = 1024;
  request.max_work = 1 << 14;
  const std::optional<gen::GeneratedCase> g = gen::generate_case(op->name, c, request);
  if (!g) return std::nullopt;
  const bool extremes = c.coin();
  DecodedOpCase d{std::string(op->name), g->attrs, gen::input_values(c, *g, extremes)};
  if (!mutate(c, d.attrs, d.inputs)) return std::nullopt;

  const gen::Outcome ref = gen::capture([&] { return run_reference(d.name, d.attrs, d.inputs).outputs; });
  if (!ref.error.empty() && !gen::is_rejection(ref)) {
    report = str(gen::describe_case(d.name, d.attrs, d.inputs), ": reference failed with ", ref.error,
                 gen::dump_inputs(d.inputs));
    return std::nullopt;
  }
  // Types alone: the validator's verdict must be the reference's.
  Types types;
  for (const Tensor& t : d.inputs) types.push_back(t.type());
  const gen::Outcome validated = gen::capture([&] {
    (void)validate_op(d.name, d.attrs, types);
    return std::vector<Tensor>{};
  });
  if (!validated.error.empty() && validated.error != ref.error) {
    report = str(gen::describe_case(d.name, d.attrs, d.inputs), ": validator ", validated.error, ", reference ",
                 ref.error.empty() ? "succeeded" : ref.error);
    return std::nullopt;
  }
  return d;
}

std::string fuzz_op_diff(Bytes input) {
  std::string report;
  const std::optional<DecodedOpCase> d = decode_op_case(input, report);
  if (!d) return report;
  return gen::fast_vs_reference(d->name, d->attrs, d->inputs, {1, 3});
}

}  // namespace cvm::fuzz
