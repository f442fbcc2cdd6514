// elemwise_sub - fast kernel.
//
// What: y[i] = a[i] - b[i] (equal shapes).
// How: A contiguous int32 loop the compiler vectorises (SSE2 portable; AVX2
// via fast/elem_common_avx2.cc when use_avx2(exec.isa)), split over the pool in static
// chunks of >= 16K elements (fast/elem_common.h, run_binary: equal shapes
// collapse to one contiguous run). In place is fine (same-index read then
// write).
// Bounds: elemwise_sub_b1: |d| <= 2 R(m) < R(p_y) and p_y <= 32, so the int32
// difference is exact (no overflow).
#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_elemwise_sub(const NodeSpec&, const KernelOptions&) {
  return binary_elem_kernel(ElemBinary::kSub);
}

}  // namespace cvm::fast
