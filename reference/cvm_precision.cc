// cvm_precision - reference transcription of spec/ops/cvm_precision.rst.
#include <cstdint>

#include "cvm/op.h"
#include "unary_common.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  // Shape rule: same shape; precision rule: p_y = 6.
  return {TensorType{in[0].shape, 6}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  map_elements(*in[0], *out[0], "cvm_precision_b1", [](int64_t xi) {
    // |x[i]| in 64 bits: total even for -2^31 (which cannot reach here).
    const uint64_t magnitude = static_cast<uint64_t>(xi < 0 ? -xi : xi);
    return xi == 0 ? int64_t{1} : bits(magnitude);
  });
}

}  // namespace

OpDef op_def_cvm_precision() {
  return {.num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
