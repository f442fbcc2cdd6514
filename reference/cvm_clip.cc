// cvm_clip - reference transcription of spec/ops/cvm_clip.rst.
#include "cvm/ops/cvm_clip.h"

#include "cvm/op.h"
#include "cvm/rules/scalar.h"
#include "clip_shift_attrs.h"
#include "unary_common.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) {
  CvmClipAttrs a;
  a.precision = r.int32("precision");
  // is_sign must parse as a bool but has no effect (see the page's Quirk).
  a.is_sign = r.boolean("is_sign");
  // cvm_clip_c1: precision in [1, 32], inclusive.
  check_precision_attr(a.precision, "cvm_clip_c1");
  return a;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const CvmClipAttrs&>(attrs);
  return {TensorType{in[0].shape, static_cast<int>(a.precision)}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const CvmClipAttrs&>(attrs);
  const int64_t alpha = prec_max(static_cast<int>(a.precision));
  map_elements(*in[0], *out[0], "cvm_clip_b1",
               [&](int64_t xi) { return rules::clip<int64_t>(xi, -alpha, alpha); });
}

}  // namespace

OpDef op_def_cvm_clip() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
