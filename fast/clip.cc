// clip - fast kernel.
//
// What: y[i] = clip(x[i], a_min, a_max), element-wise.
// How: a contiguous int32 min/max loop the compiler vectorises (SSE2
// portable; AVX2 via fast/elem_common_avx2.cc when use_avx2(exec.isa)), split over
// the pool in static chunks of >= 16K elements (fast/elem_common.h,
// run_unary). In place is fine: each element is read, then written, at the
// same index.
// Bounds: clip_b1 (no intermediate value; the comparison is on int32 values,
// and a_min, a_max fit int32 by clip_c1), so int32 arithmetic is exact.
#include "cvm/ops/clip.h"

#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_clip(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const ClipAttrs&>(spec.attrs);
  ElemUnaryParams p;
  p.lo = static_cast<int32_t>(a.a_min);
  p.hi = static_cast<int32_t>(a.a_max);
  return unary_elem_kernel(ElemUnary::kClip, p);
}

}  // namespace cvm::fast
