// cvm_right_shift - fast kernel.
//
// What: y[i] = clip(((x[i] >> (b - 1)) + 1) >> 1, -alpha, alpha),
// b = shift_bit, alpha = R(precision) (round half up, then saturate).
// How: all in int32. With u = x >> (b - 1) (arithmetic, b - 1 in [0, 31]),
// the reference's t = u + 1 can be 2^31 (cvm_right_shift_b2: x = 2^31 - 1,
// b = 1), which does not fit int32; so T = t >> 1 = floor((u + 1) / 2) is
// computed as (u >> 1) + (u & 1), which is equal for every int32 u (u even:
// u / 2; u odd: (u - 1) / 2 + 1) and never leaves int32. Then the clip.
// A contiguous loop the compiler vectorises (SSE2 portable; AVX2 via
// fast/elem_common_avx2.cc), split over the pool in static chunks of >= 16K
// elements (fast/elem_common.h, run_unary).
// Bounds: cvm_right_shift_b2: T lies in [-(2^30 - 1), 2^30], so it fits
// int32 (t itself is never formed); cvm_right_shift_b1: alpha fits int32.
#include "cvm/ops/cvm_right_shift.h"

#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_cvm_right_shift(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const CvmRightShiftAttrs&>(spec.attrs);
  // The kernel shifts by b - 1, then rounds and halves (see the header).
  return unary_elem_kernel(ElemUnary::kRightShift, precision_clip(a.precision, static_cast<int>(a.shift_bit) - 1));
}

}  // namespace cvm::fast
