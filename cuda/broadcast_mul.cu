// broadcast_mul - CUDA kernel (spec/ops/broadcast_mul.rst): y = a * b, broadcast.
// One thread per output element (grid-stride loop, cuda/elementwise.cuh)
// reading each input at its broadcast offset; the value is computed in int64
// as reference/broadcast_mul.cc does, and broadcast_mul_b1 (every output value has the output
// precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"

namespace cvm::cuda {
namespace {

struct F {
  __device__ int64_t operator()(int64_t a, int64_t b) const { return a * b; }
};

}  // namespace

std::unique_ptr<NodeKernel> make_broadcast_mul(const NodeSpec&) { return binary_kernel_for("broadcast_mul", F{}); }

}  // namespace cvm::cuda
