// cvm_clip - CUDA kernel (spec/ops/cvm_clip.rst): y = clip(x, -R(precision), R(precision)).
// One thread per output element (grid-stride loop, cuda/elementwise.cuh);
// the value is computed in int64 as reference/cvm_clip.cc does, and cvm_clip_b1
// (every output value has the output precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"
#include "cvm/ops/cvm_clip.h"

namespace cvm::cuda {
namespace {

struct F {
  int64_t alpha;
  __device__ int64_t operator()(int64_t x) const { return clip(x, -alpha, alpha); }
};

}  // namespace

std::unique_ptr<NodeKernel> make_cvm_clip(const NodeSpec& spec) {
  const auto& a = std::any_cast<const CvmClipAttrs&>(spec.attrs);
  return unary_kernel_for("cvm_clip", F{prec_max(static_cast<int>(a.precision))});
}

}  // namespace cvm::cuda
