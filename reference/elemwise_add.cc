// elemwise_add - reference transcription of spec/ops/elemwise_add.rst.
#include "binary_common.h"
#include "cvm/op.h"
#include "cvm/rules/precision.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  // elemwise_add_c1: identical shapes, no broadcasting. p_y = max(p_a, p_b) + 1; a
  // result above 32 is rejected by op_c3.
  return same_shape_type(in, "elemwise_add_c1", "elemwise_add",
                         [](int pa, int pb) { return rules::sum_of_two_precision(pa, pb); });
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  // y[i] = a[i] + b[i], exact in int64; elemwise_add_b1: it fits p_y.
  zip_elements(*in[0], *in[1], *out[0], "elemwise_add_b1", [](int64_t a, int64_t b) { return a + b; });
}

}  // namespace

OpDef op_def_elemwise_add() { return {.num_inputs = fixed_inputs<2>, .infer = infer, .reference = kernel}; }

}  // namespace cvm
