// broadcast_max - reference transcription of spec/ops/broadcast_max.rst.
#include <algorithm>

#include "cvm/op.h"
#include "cvm/rules/precision.h"
#include "binary_common.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  // p_y = max(p_a, p_b).
  return broadcast_type(in, "broadcast_max_c1", [](int pa, int pb) { return rules::larger_precision(pa, pb); });
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  broadcast_elements(*in[0], *in[1], *out[0], "broadcast_max_b1", "broadcast_max_b2",
                     [](int64_t va, int64_t vb) { return std::max(va, vb); });
}

}  // namespace

OpDef op_def_broadcast_max() {
  return {.num_inputs = fixed_inputs<2>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
