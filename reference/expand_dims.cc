// expand_dims - reference transcription of spec/ops/expand_dims.rst.
#include "cvm/ops/expand_dims.h"

#include "cvm/op.h"
#include "unary_common.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) {
  ExpandDimsAttrs a;
  a.axis = r.int32("axis");
  a.num_newaxis = r.int32("num_newaxis");
  // expand_dims_c2: inclusive [1, 4096].
  CVM_REQUIRE(a.num_newaxis >= 1 && a.num_newaxis <= 4096, "expand_dims_c2",
              "num_newaxis = ", a.num_newaxis, " is outside [1, 4096]");
  return a;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const ExpandDimsAttrs&>(attrs);
  const Shape& d = in[0].shape;
  const auto N = static_cast<int64_t>(d.size());
  // expand_dims_c1: axis in [-N-1, N]; a negative axis adds N + 1.
  CVM_REQUIRE(a.axis >= -N - 1 && a.axis <= N, "expand_dims_c1", "axis = ", a.axis,
              " is outside [", -N - 1, ", ", N, "]");
  const int64_t pos = a.axis < 0 ? a.axis + N + 1 : a.axis;
  Shape out;
  for (int64_t k = 0; k < pos; ++k) out.push_back(d[static_cast<size_t>(k)]);
  for (int64_t k = 0; k < a.num_newaxis; ++k) out.push_back(1);
  for (int64_t k = pos; k < N; ++k) out.push_back(d[static_cast<size_t>(k)]);
  return {TensorType{out, in[0].precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  copy_elements(*in[0], *out[0], "expand_dims_b1");
}

}  // namespace

OpDef op_def_expand_dims() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
