// clip - CUDA kernel (spec/ops/clip.rst): y = clip(x, a_min, a_max).
// One thread per output element (grid-stride loop, cuda/elementwise.cuh);
// the value is computed in int64 as reference/clip.cc does, and clip_b1
// (every output value has the output precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"
#include "cvm/ops/clip.h"

namespace cvm::cuda {
namespace {

struct F {
  int64_t lo, hi;
  __device__ int64_t operator()(int64_t x) const { return clip(x, lo, hi); }
};

}  // namespace

std::unique_ptr<NodeKernel> make_clip(const NodeSpec& spec) {
  const auto& a = std::any_cast<const ClipAttrs&>(spec.attrs);
  return unary_kernel_for("clip", F{a.a_min, a.a_max});
}

}  // namespace cvm::cuda
