// elemwise_add - CUDA kernel (spec/ops/elemwise_add.rst): y = a + b (equal shapes).
// One thread per output element (grid-stride loop, cuda/elementwise.cuh)
// reading each input at its broadcast offset; the value is computed in int64
// as reference/elemwise_add.cc does, and elemwise_add_b1 (every output value has the output
// precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"

namespace cvm::cuda {
namespace {

struct F {
  __device__ int64_t operator()(int64_t a, int64_t b) const { return a + b; }
};

}  // namespace

std::unique_ptr<NodeKernel> make_elemwise_add(const NodeSpec&) { return binary_kernel_for("elemwise_add", F{}); }

}  // namespace cvm::cuda
