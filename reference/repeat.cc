// repeat - reference transcription of spec/ops/repeat.rst.
#include "cvm/ops/repeat.h"

#include "cvm/op.h"
#include "cvm/rules/repeat_index.h"
#include "index_loop.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) {
  RepeatAttrs a;
  a.repeats = r.int32("repeats");
  a.axis = r.int32("axis");
  // repeat_c1: at least one copy.
  CVM_REQUIRE(a.repeats >= 1, "repeat_c1", "repeats = ", a.repeats, " must be >= 1");
  return a;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const RepeatAttrs&>(attrs);
  const Shape& d = in[0].shape;
  // repeat_c2: axis in [-N, N-1].
  const int64_t ax = normalize_axis(a.axis, static_cast<int64_t>(d.size()), "repeat_c2", "axis");
  // d with d_a * r on the axis (< 2^24 * 2^31, int64).
  return {TensorType{rules::repeat_shape(d, static_cast<size_t>(ax), a.repeats), in[0].precision}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const RepeatAttrs&>(attrs);
  const Tensor& x = *in[0];
  const auto ax = static_cast<size_t>(
      normalize_axis(a.axis, static_cast<int64_t>(x.shape.size()), "repeat_c2", "axis"));
  gather_elements(x, *out[0], "repeat_b1", "repeat_b2", [&](const Index& j) {
    return rules::repeat_source(j, ax, a.repeats);  // j with j_a div r on the axis
  });
}

}  // namespace

OpDef op_def_repeat() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
