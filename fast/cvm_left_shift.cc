// cvm_left_shift - fast kernel.
//
// What: y[i] = clip(x[i] * 2^s, -alpha, alpha), s = shift_bit,
// alpha = R(precision).
// How: the product is formed in int32 as the unsigned left shift of x's bits
// (the same value, without signed-shift rules; s <= 31 since p_x >= 1 and
// p_x + s <= 32), then clipped; a contiguous loop the compiler vectorises
// (SSE2 portable; AVX2 via fast/elem_common_avx2.cc), split over the pool in
// static chunks of >= 16K elements (fast/elem_common.h, run_unary).
// Bounds: cvm_left_shift_b2: |T[i]| <= 2^31 - 2, so the shifted value fits
// int32 exactly (the reference's int64 product equals it);
// cvm_left_shift_b1: the clip bounds alpha <= 2^31 - 1 fit int32.
#include "cvm/ops/cvm_left_shift.h"

#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_cvm_left_shift(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const CvmLeftShiftAttrs&>(spec.attrs);
  return unary_elem_kernel(ElemUnary::kLeftShift, precision_clip(a.precision, static_cast<int>(a.shift_bit)));
}

}  // namespace cvm::fast
