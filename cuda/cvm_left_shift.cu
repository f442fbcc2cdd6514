// cvm_left_shift - CUDA kernel (spec/ops/cvm_left_shift.rst): y = clip(x * 2^shift_bit, -R(precision), R(precision)).
// One thread per output element (grid-stride loop, cuda/elementwise.cuh);
// the value is computed in int64 as reference/cvm_left_shift.cc does (cvm_left_shift_b2: |x * 2^shift_bit| < 2^63), and cvm_left_shift_b1
// (every output value has the output precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"
#include "cvm/ops/cvm_left_shift.h"

namespace cvm::cuda {
namespace {

struct F {
  int shift;
  int64_t alpha;
  __device__ int64_t operator()(int64_t x) const { return clip(shl(x, shift), -alpha, alpha); }
};

}  // namespace

std::unique_ptr<NodeKernel> make_cvm_left_shift(const NodeSpec& spec) {
  const auto& a = std::any_cast<const CvmLeftShiftAttrs&>(spec.attrs);
  return unary_kernel_for("cvm_left_shift", F{static_cast<int>(a.shift_bit), prec_max(static_cast<int>(a.precision))});
}

}  // namespace cvm::cuda
