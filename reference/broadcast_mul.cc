// broadcast_mul - reference transcription of spec/ops/broadcast_mul.rst.
#include "cvm/op.h"
#include "cvm/rules/precision.h"
#include "binary_common.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  // p_y = p_a + p_b; a result above 32 is rejected by op_c3.
  return broadcast_type(in, "broadcast_mul_c1", [](int pa, int pb) { return rules::product_precision(pa, pb); });
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  // Exact product (int64: |va * vb| <= (2^31 - 1)^2 < 2^63).
  broadcast_elements(*in[0], *in[1], *out[0], "broadcast_mul_b1", "broadcast_mul_b2",
                     [](int64_t va, int64_t vb) { return va * vb; });
}

}  // namespace

OpDef op_def_broadcast_mul() {
  return {.num_inputs = fixed_inputs<2>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
