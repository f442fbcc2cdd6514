// relu - CUDA kernel (spec/ops/relu.rst): y = max(x, 0).
// One thread per output element (grid-stride loop, cuda/elementwise.cuh);
// the value is computed in int64 as reference/relu.cc does, and relu_b1
// (every output value has the output precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"

namespace cvm::cuda {
namespace {

struct F {
  __device__ int64_t operator()(int64_t x) const { return x > 0 ? x : 0; }
};

}  // namespace

std::unique_ptr<NodeKernel> make_relu(const NodeSpec&) { return unary_kernel_for("relu", F{}); }

}  // namespace cvm::cuda
