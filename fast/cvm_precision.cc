// cvm_precision - fast kernel.
//
// What: y[i] = bits(|x[i]|), or 1 for x[i] = 0.
// How: |x| as uint32 (x != -2^31, so it is <= 2^31 - 1), then a branch-free
// 5-step binary search of the top bit (compare, variable shift, add) that
// the compiler vectorises (with AVX2 variable shifts via
// fast/elem_common_avx2.cc), instead of the reference's bit-by-bit loop;
// split over the pool in static chunks of >= 16K elements
// (fast/elem_common.h, run_unary, elem_precision).
// Bounds: cvm_precision_b1: the magnitude fits int32 and the result is
// <= 31, so every value is int32-exact.
#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_cvm_precision(const NodeSpec&, const KernelOptions&) {
  return unary_elem_kernel(ElemUnary::kPrecision);
}

}  // namespace cvm::fast
