// max - reference transcription of spec/ops/max.rst.
#include "cvm/ops/max.h"

#include "cvm/op.h"
#include "reduce_common.h"

namespace cvm {
namespace {

ReducePlan plan_of(const MaxAttrs& a, const Shape& in) {
  // max_c2: every listed axis lies in [-n, n-1]; max_c3: no axis twice.
  return reduce_plan(a.axis, a.keepdims, a.exclude, in, "max_c2", "max_c3");
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const MaxAttrs&>(attrs);
  const ReducePlan p = plan_of(a, in[0].shape);
  return {TensorType{p.out_shape, in[0].precision}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const MaxAttrs&>(attrs);
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  const ReducePlan p = plan_of(a, x.shape);
  reduce_fill(y, p, "max_b1", [&](int64_t o, const Index& oi) {
    // The fold starts from the first element; Quirk: axis = () with exclude = false
    // starts from 0 instead.
    int64_t acc = 0;
    for (int64_t j = 0; j < p.k; ++j) {  // the K indices i with out(i) = o, increasing
      const int64_t v = reduce_term(x, oi, o, j, p, "max_b2");
      if (j == 0 && !p.whole_default) acc = v;
      acc = v > acc ? v : acc;
    }
    return acc;
  });
}

}  // namespace

OpDef op_def_max() {
  return {.parse_attrs = parse_reduce_attrs, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
