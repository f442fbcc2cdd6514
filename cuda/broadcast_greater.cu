// broadcast_greater - CUDA kernel (spec/ops/broadcast_greater.rst): y = 1 if a > b else 0, broadcast.
// One thread per output element (grid-stride loop, cuda/elementwise.cuh)
// reading each input at its broadcast offset; the value is computed in int64
// as reference/broadcast_greater.cc does, and broadcast_greater_b1 (every output value has the output
// precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"

namespace cvm::cuda {
namespace {

struct F {
  __device__ int64_t operator()(int64_t a, int64_t b) const { return a > b ? 1 : 0; }
};

}  // namespace

std::unique_ptr<NodeKernel> make_broadcast_greater(const NodeSpec&) { return binary_kernel_for("broadcast_greater", F{}); }

}  // namespace cvm::cuda
