// sum - reference transcription of spec/ops/sum.rst.
#include "cvm/ops/sum.h"

#include "cvm/op.h"
#include "cvm/rules/precision.h"
#include "reduce_common.h"

namespace cvm {
namespace {

ReducePlan plan_of(const SumAttrs& a, const Shape& in) {
  // sum_c2: every listed axis lies in [-n, n-1]; sum_c3: no axis twice.
  return reduce_plan(a.axis, a.keepdims, a.exclude, in, "sum_c2", "sum_c3");
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const SumAttrs&>(attrs);
  const ReducePlan p = plan_of(a, in[0].shape);
  // p_y = p_x + bits(K); above 32 is rejected by op_c3.
  return {TensorType{p.out_shape,
                     rules::sum_precision(in[0].precision, bits(static_cast<uint64_t>(p.k)))}};
}

int64_t gas(const std::any&, const Types& in, const Types& out) {
  // K = |x| / |y| (exact).
  return shape_size(in[0].shape) / shape_size(out[0].shape);
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const SumAttrs&>(attrs);
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  const ReducePlan p = plan_of(a, x.shape);
  const int64_t acc_max = p.k * prec_max(x.precision);  // K * R(p_x) < 2^61
  reduce_fill(y, p, "sum_b1", [&](int64_t o, const Index& oi) {
    int64_t acc = 0;
    for (int64_t j = 0; j < p.k; ++j) {  // the K indices i with out(i) = o, increasing
      acc += reduce_term(x, oi, o, j, p, "sum_b3");
      CVM_BOUND(acc >= -acc_max && acc <= acc_max, "sum_b2", "partial sum ", acc, " of y[", o,
                "] after ", j + 1, " terms");
    }
    return acc;
  });
}

}  // namespace

OpDef op_def_sum() {
  return {.parse_attrs = parse_reduce_attrs, .num_inputs = fixed_inputs<1>, .infer = infer, .gas_weight = gas,
          .reference = kernel};
}

}  // namespace cvm
