// cvm_right_shift - CUDA kernel (spec/ops/cvm_right_shift.rst): t = (x >> (b - 1)) + 1, y = clip(t >> 1, -R(precision), R(precision)) (rounds to nearest, ties up).
// One thread per output element (grid-stride loop, cuda/elementwise.cuh);
// the value is computed in int64 as reference/cvm_right_shift.cc does (cvm_right_shift_b2: t is exact in int64), and cvm_right_shift_b1
// (every output value has the output precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"
#include "cvm/ops/cvm_right_shift.h"

namespace cvm::cuda {
namespace {

struct F {
  int b;
  int64_t alpha;
  __device__ int64_t operator()(int64_t x) const { return clip(shr_floor(shr_floor(x, b - 1) + 1, 1), -alpha, alpha); }
};

}  // namespace

std::unique_ptr<NodeKernel> make_cvm_right_shift(const NodeSpec& spec) {
  const auto& a = std::any_cast<const CvmRightShiftAttrs&>(spec.attrs);
  return unary_kernel_for("cvm_right_shift", F{static_cast<int>(a.shift_bit), prec_max(static_cast<int>(a.precision))});
}

}  // namespace cvm::cuda
