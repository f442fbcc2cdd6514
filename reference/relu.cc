// relu - reference transcription of spec/ops/relu.rst.
#include "cvm/op.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  // Shape rule: same shape; precision rule: p_y = p_x.
  return {TensorType{in[0].shape, in[0].precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  for (int64_t i = 0; i < x.size(); ++i) {
    const int64_t xi = x.data[static_cast<size_t>(i)];
    const int64_t v = xi > 0 ? xi : 0;
    CVM_BOUND(in_precision(v, y.precision), "relu_b1", "y[", i, "] = ", v);
    y.data[static_cast<size_t>(i)] = static_cast<int32_t>(v);
  }
}

}  // namespace

const OpDef& op_def_relu() {
  static const OpDef def{.name = "relu",
                         .parse_attrs = parse_no_attrs,
                         .num_inputs = fixed_inputs<1>,
                         .num_outputs = 1,
                         .infer = infer,
                         .gas_weight = gas_weight_one,
                         .reference = kernel,
                         .in_place = true};
  return def;
}

}  // namespace cvm
