// flatten - reference transcription of spec/ops/flatten.rst.
#include "cvm/op.h"
#include "unary_common.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  const Shape& s = in[0].shape;
  // Shape rule: (d_0, prod_{k >= 1} d_k); the empty product is 1.
  int64_t rest = 1;
  for (size_t k = 1; k < s.size(); ++k) rest *= s[k];  // <= |x| <= 2^30
  return {TensorType{Shape{s[0], rest}, in[0].precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  copy_elements(*in[0], *out[0], "flatten_b1");
}

}  // namespace

OpDef op_def_flatten() {
  return {.num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
