// abs - fast kernel.
//
// What: y[i] = |x[i]|, element-wise.
// How: a contiguous int32 loop the compiler vectorises (SSE2 portable; AVX2
// via fast/elem_common_avx2.cc when use_avx2(exec.isa)), split over the pool in
// static chunks of >= 16K elements (fast/elem_common.h, run_unary). The
// output may alias the input (in place): each element is read before it is
// written, at the same index.
// Bounds: abs_b1: |x[i]| <= R(p_x) <= 2^31 - 1, so -x[i] fits int32; the
// result is formed exactly in int32.
#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_abs(const NodeSpec&, const KernelOptions&) {
  return unary_elem_kernel(ElemUnary::kAbs);
}

}  // namespace cvm::fast
