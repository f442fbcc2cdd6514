// broadcast_max - fast kernel.
//
// What: y = max(a, b), numpy broadcasting.
// How: fast/elem_common.h, run_binary: both shapes are right-aligned on the
// output, size-1 output dims dropped and adjacent dims merged where both
// inputs are contiguous (or both broadcast) across them; the outer dims are
// walked with an odometer (positioned once per chunk) and the innermost dim
// runs as a contiguous or stride-0 (scalar) int32 loop the compiler vectorises
// (SSE2 portable; AVX2 via fast/elem_common_avx2.cc). Split over the pool in
// static chunks of >= 16K output elements.
// Bounds: broadcast_max_b1: no intermediate value; the comparison is on int32
// values.
#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_broadcast_max(const NodeSpec&, const KernelOptions&) {
  return binary_elem_kernel(ElemBinary::kMax);
}

}  // namespace cvm::fast
