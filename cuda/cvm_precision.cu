// cvm_precision - CUDA kernel (spec/ops/cvm_precision.rst): y = 1 for x = 0, else bits(|x|).
// One thread per output element (grid-stride loop, cuda/elementwise.cuh);
// the value is computed in int64 as reference/cvm_precision.cc does, and cvm_precision_b1
// (every output value has the output precision) makes the int32 store exact.
#include "cuda/elementwise.cuh"

namespace cvm::cuda {
namespace {

struct F {
  __device__ int64_t operator()(int64_t x) const { return x == 0 ? 1 : bits(static_cast<uint64_t>(x < 0 ? -x : x)); }
};

}  // namespace

std::unique_ptr<NodeKernel> make_cvm_precision(const NodeSpec&) { return unary_kernel_for("cvm_precision", F{}); }

}  // namespace cvm::cuda
