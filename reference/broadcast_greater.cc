// broadcast_greater - reference transcription of spec/ops/broadcast_greater.rst.
#include <algorithm>

#include "cvm/op.h"
#include "cvm/rules/precision.h"
#include "binary_common.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  // p_y = max(p_a, 2): the output 1 needs precision 2 (upstream gives p_a,
  // unsound for p_a = 1; spec/errata/broadcast_greater.rst E-broadcast_greater-1).
  return broadcast_type(in, "broadcast_greater_c1", [](int pa, int) { return rules::at_least_two_precision(pa); });
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  broadcast_elements(*in[0], *in[1], *out[0], "broadcast_greater_b1", "broadcast_greater_b2",
                     [](int64_t va, int64_t vb) { return va > vb ? int64_t{1} : int64_t{0}; });
}

}  // namespace

OpDef op_def_broadcast_greater() {
  return {.num_inputs = fixed_inputs<2>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
