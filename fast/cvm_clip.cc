// cvm_clip - fast kernel.
//
// What: y[i] = clip(x[i], -alpha, alpha), alpha = R(precision) = 2^(p-1) - 1.
// How: a contiguous int32 min/max loop the compiler vectorises (SSE2
// portable; AVX2 via fast/elem_common_avx2.cc when use_avx2(exec.isa)), split over
// the pool in static chunks of >= 16K elements (fast/elem_common.h,
// run_unary). In place is fine (same-index read then write).
// Bounds: cvm_clip_b1: alpha <= 2^31 - 1 fits int32 and there is no other
// intermediate value, so int32 arithmetic is exact.
#include "cvm/ops/cvm_clip.h"

#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_cvm_clip(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const CvmClipAttrs&>(spec.attrs);
  return unary_elem_kernel(ElemUnary::kClip, precision_clip(a.precision));
}

}  // namespace cvm::fast
