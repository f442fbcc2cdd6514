// negative - CUDA kernel (spec/ops/negative.rst): y = -x.
// One thread per output element (grid-stride loop, cuda/elementwise.cuh);
// the value is computed in int64 as reference/negative.cc does, and negative_b1
// (every output value has the output precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"

namespace cvm::cuda {
namespace {

struct F {
  __device__ int64_t operator()(int64_t x) const { return -x; }
};

}  // namespace

std::unique_ptr<NodeKernel> make_negative(const NodeSpec&) { return unary_kernel_for("negative", F{}); }

}  // namespace cvm::cuda
