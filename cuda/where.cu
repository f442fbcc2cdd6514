// where - CUDA kernel (spec/ops/where.rst): out[i] = x[i] if cond != 0 else
// y[i], where cond has x's shape (read at i) or is a vector over x's first
// dimension (read at i quot r, r = |x| / x.shape[0]).
// One thread per output element (grid-stride loop); values are copied, so
// where_b1 (every output value has the output precision) needs nothing wider.
#include "cuda/device_common.cuh"
#include "cuda/kernel.h"

namespace cvm::cuda {
namespace {

__global__ void where_kernel(const int32_t* cond, const int32_t* x, const int32_t* y, int32_t* z, int64_t n,
                             int64_t r) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) z[i] = cond[i / r] != 0 ? x[i] : y[i];
}

class WhereKernel final : public NodeKernel {
 public:
  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const Shape& xs = in[1].type.shape;
    const int64_t n = shape_size(xs);
    const int64_t r = in[0].type.shape == xs ? 1 : n / xs[0];
    where_kernel<<<grid_for(n), 256, 0, stream>>>(in[0].data, in[1].data, in[2].data, out[0].data, n, r);
    check_launch("where");
  }
};

}  // namespace

std::unique_ptr<NodeKernel> make_where(const NodeSpec&) { return std::make_unique<WhereKernel>(); }

}  // namespace cvm::cuda
