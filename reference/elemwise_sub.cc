// elemwise_sub - reference transcription of spec/ops/elemwise_sub.rst.
#include <algorithm>

#include "cvm/op.h"
#include "cvm/rules/precision.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  const TensorType& a = in[0];
  const TensorType& b = in[1];
  // elemwise_sub_c1: identical shapes, no broadcasting.
  CVM_REQUIRE(a.shape == b.shape, "elemwise_sub_c1", "shapes ", shape_str(a.shape), " and ",
              shape_str(b.shape), " differ (elemwise_sub does not broadcast)");
  // p_y = max(p_a, p_b) + 1; a result above 32 is rejected by op_c3.
  return {TensorType{a.shape, rules::sum_of_two_precision(a.precision, b.precision)}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  Tensor& y = *out[0];
  for (int64_t i = 0; i < y.size(); ++i) {
    const auto k = static_cast<size_t>(i);
    const int64_t d = int64_t{a.data[k]} - int64_t{b.data[k]};
    CVM_BOUND(in_precision(d, y.precision), "elemwise_sub_b1", "y[", i, "] = ", d);
    y.data[k] = static_cast<int32_t>(d);
  }
}

}  // namespace

OpDef op_def_elemwise_sub() {
  return {.num_inputs = fixed_inputs<2>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
