// broadcast_div - fast kernel.
//
// What: y = a quot b (truncation toward zero), 0 where b = 0, numpy
// broadcasting.
// How: fast/elem_common.h, run_binary: both shapes are right-aligned on the
// output, size-1 output dims dropped and adjacent dims merged where both
// inputs are contiguous (or both broadcast) across them; the outer dims are
// walked with an odometer (positioned once per chunk) and the innermost dim
// runs as a contiguous or stride-0 (scalar) int32 loop the compiler vectorises
// (SSE2 portable; AVX2 via fast/elem_common_avx2.cc). Split over the pool in
// static chunks of >= 16K output elements. Integer division does not
// vectorise; the loop is scalar but free of index arithmetic.
// Bounds: broadcast_div_b1: |a quot b| <= |a| and -2^31 / -1 cannot occur (no
// input holds -2^31), so int32 division is exact and defined; the zero divisor
// is tested first.
#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_broadcast_div(const NodeSpec&, const KernelOptions&) {
  return binary_elem_kernel(ElemBinary::kDiv);
}

}  // namespace cvm::fast
