// The epilogue step of each fusable op (include/cvm/epilogue.h): the exact
// scalar map of its reference kernel.
//  - cvm_right_shift: y = clip(((x >> (b - 1)) + 1) >> 1, -R(p), R(p)), the
//    sum computed in int64 (cvm_right_shift_b2: it may be 2^31);
//  - relu: clip(x, 0, INT32_MAX) (relu_b1: y = max(x, 0));
//  - clip: clip(x, a_min, a_max) (clip_b1);
//  - cvm_clip: clip(x, -R(p), R(p)) (cvm_clip_b1).
// All bounds fit int32, so vector kernels may clip with int32 min/max.
#include "cvm/epilogue.h"

#include <climits>

#include "cvm/op.h"
#include "cvm/ops/clip.h"
#include "cvm/ops/cvm_clip.h"
#include "cvm/ops/cvm_right_shift.h"

namespace cvm {

std::optional<EpilogueStep> epilogue_step(const OpDef& op, const std::any& attrs) {
  EpilogueStep s;
  if (op.name == "cvm_right_shift") {
    const auto& a = std::any_cast<const CvmRightShiftAttrs&>(attrs);
    s.kind = EpilogueStep::Kind::kRightShift;
    s.shift_bit = static_cast<int32_t>(a.shift_bit);
    s.hi = prec_max(static_cast<int>(a.precision));
    s.lo = -s.hi;
    return s;
  }
  if (op.name == "relu") {
    s.lo = 0;
    s.hi = INT32_MAX;
    return s;
  }
  if (op.name == "clip") {
    const auto& a = std::any_cast<const ClipAttrs&>(attrs);
    s.lo = a.a_min;
    s.hi = a.a_max;
    return s;
  }
  if (op.name == "cvm_clip") {
    const auto& a = std::any_cast<const CvmClipAttrs&>(attrs);
    s.hi = prec_max(static_cast<int>(a.precision));
    s.lo = -s.hi;
    return s;
  }
  return std::nullopt;
}

}  // namespace cvm
