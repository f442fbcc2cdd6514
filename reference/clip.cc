// clip - reference transcription of spec/ops/clip.rst.
#include "cvm/ops/clip.h"

#include <algorithm>
#include <cstdlib>

#include "cvm/op.h"
#include "cvm/rules/precision.h"
#include "cvm/rules/scalar.h"
#include "unary_common.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) {
  ClipAttrs a;
  a.a_min = r.int32("a_min");
  a.a_max = r.int32("a_max");
  // clip_c1: both bounds have a precision (INT32_MIN has none).
  CVM_REQUIRE(a.a_min != INT32_MIN && a.a_max != INT32_MIN, "clip_c1",
              "a_min and a_max must lie in [-(2^31-1), 2^31-1]");
  // clip_c2: a strict interval.
  CVM_REQUIRE(a.a_min < a.a_max, "clip_c2", "a_min = ", a.a_min, " must be < a_max = ", a.a_max);
  return a;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const ClipAttrs&>(attrs);
  const int64_t m = std::max(std::abs(a.a_min), std::abs(a.a_max));
  // p_y = np(m) = bits(m + 1) + 1.
  return {TensorType{in[0].shape,
                     rules::number_precision_from_bits(bits(static_cast<uint64_t>(m) + 1))}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const ClipAttrs&>(attrs);
  map_elements(*in[0], *out[0], "clip_b1",
               [&](int64_t xi) { return rules::clip<int64_t>(xi, a.a_min, a.a_max); });
}

}  // namespace

OpDef op_def_clip() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
