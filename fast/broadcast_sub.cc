// broadcast_sub - fast kernel.
//
// What: y = a - b, numpy broadcasting.
// How: fast/elem_common.h, run_binary: both shapes are right-aligned on the
// output, size-1 output dims dropped and adjacent dims merged where both
// inputs are contiguous (or both broadcast) across them; the outer dims are
// walked with an odometer (positioned once per chunk) and the innermost dim
// runs as a contiguous or stride-0 (scalar) int32 loop the compiler vectorises
// (SSE2 portable; AVX2 via fast/elem_common_avx2.cc). Split over the pool in
// static chunks of >= 16K output elements.
// Bounds: broadcast_sub_b1: |d| <= 2 R(m) < R(p_y) and p_y <= 32, so the int32
// difference is exact (no overflow).
#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_broadcast_sub(const NodeSpec&, const KernelOptions&) {
  return binary_elem_kernel(ElemBinary::kSub);
}

}  // namespace cvm::fast
