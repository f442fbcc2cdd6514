// broadcast_max - CUDA kernel (spec/ops/broadcast_max.rst): y = max(a, b), broadcast.
// One thread per output element (grid-stride loop, cuda/elementwise.cuh)
// reading each input at its broadcast offset; the value is computed in int64
// as reference/broadcast_max.cc does, and broadcast_max_b1 (every output value has the output
// precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"

namespace cvm::cuda {
namespace {

struct F {
  __device__ int64_t operator()(int64_t a, int64_t b) const { return a > b ? a : b; }
};

}  // namespace

std::unique_ptr<NodeKernel> make_broadcast_max(const NodeSpec&) { return binary_kernel_for("broadcast_max", F{}); }

}  // namespace cvm::cuda
