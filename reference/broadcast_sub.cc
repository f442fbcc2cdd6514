// broadcast_sub - reference transcription of spec/ops/broadcast_sub.rst.
#include <algorithm>

#include "cvm/op.h"
#include "cvm/rules/precision.h"
#include "binary_common.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  // p_y = max(p_a, p_b) + 1; a result above 32 is rejected by op_c3.
  return broadcast_type(in, "broadcast_sub_c1", [](int pa, int pb) { return rules::sum_of_two_precision(pa, pb); });
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  // Exact difference (int64: cannot overflow for int32 operands).
  broadcast_elements(*in[0], *in[1], *out[0], "broadcast_sub_b1", "broadcast_sub_b2",
                     [](int64_t va, int64_t vb) { return va - vb; });
}

}  // namespace

OpDef op_def_broadcast_sub() {
  return {.num_inputs = fixed_inputs<2>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
