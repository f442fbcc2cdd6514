// broadcast_div - reference transcription of spec/ops/broadcast_div.rst.
#include "cvm/op.h"
#include "binary_common.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  // p_y = p_a (|a quot b| <= |a|); the divisor's precision does not matter.
  return broadcast_type(in, "broadcast_div_c1", [](int pa, int) { return pa; });
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  // Division by zero gives 0; otherwise truncation toward zero (a quot b).
  // int64: the quotient -(2^31 - 1) / -1 cannot overflow.
  broadcast_elements(*in[0], *in[1], *out[0], "broadcast_div_b1", "broadcast_div_b2",
                     [](int64_t va, int64_t vb) {
                       return vb == 0 ? int64_t{0} : trunc_div(va, vb);
                     });
}

}  // namespace

OpDef op_def_broadcast_div() {
  return {.num_inputs = fixed_inputs<2>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
