// broadcast_div - CUDA kernel (spec/ops/broadcast_div.rst): y = a quot b (truncating), 0 where b = 0, broadcast.
// One thread per output element (grid-stride loop, cuda/elementwise.cuh)
// reading each input at its broadcast offset; the value is computed in int64
// as reference/broadcast_div.cc does, and broadcast_div_b1 (every output value has the output
// precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"

namespace cvm::cuda {
namespace {

struct F {
  __device__ int64_t operator()(int64_t a, int64_t b) const { return b == 0 ? 0 : trunc_div(a, b); }
};

}  // namespace

std::unique_ptr<NodeKernel> make_broadcast_div(const NodeSpec&) { return binary_kernel_for("broadcast_div", F{}); }

}  // namespace cvm::cuda
