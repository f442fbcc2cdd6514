// relu - reference transcription of spec/ops/relu.rst.
#include "cvm/op.h"
#include "unary_common.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  // Shape rule: same shape; precision rule: p_y = p_x.
  return {TensorType{in[0].shape, in[0].precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  map_elements(*in[0], *out[0], "relu_b1", [](int64_t xi) { return xi > 0 ? xi : int64_t{0}; });
}

}  // namespace

OpDef op_def_relu() {
  return {.num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
