// take - CUDA kernel.
//
// What: without an axis, y[j] = x[clip(ind[j], 0, |x| - 1)] (x flattened).
// With axis a: viewing x as (pre, n_a, post) and y as (pre, |ind|, post),
// y[(p * |ind| + i) * post + q] = x[(p * n_a + clip(ind[i], 0, n_a - 1)) * post + q]
// (the reference's coordinates d = (pre, k, post) with k the index
// coordinate, ravelled). The factory computes pre, n_a, post and |ind| from
// the node's static shapes.
// Launch shape: take_flat_kernel / take_axis_kernel, a 1-D grid-stride loop
// over the output (grid_for(|y|) blocks of 256 threads), one element per
// iteration: coalesced stores; reads coalesced along post.
// Bounds: the clamp is the reference's int64 clip of an int32 index, done in
// int64; take_b2 (0 <= clip(.) <= |x| - 1, or n_a - 1) licenses the
// unchecked reads, take_b1 (y values are x values, p_y = p_x) dropping the
// per-element bound check. Flat indices are below 2^30 (tensor_c3): the
// div/mod is exact in uint32, offsets are formed in int64.
#include "cuda/device_common.cuh"
#include "cvm/intmath.h"
#include "cvm/ops/take.h"

namespace cvm::cuda {
namespace {

constexpr unsigned kBlock = 256;

__global__ void take_flat_kernel(const int32_t* __restrict__ x, const int32_t* __restrict__ ind,
                                 int32_t* __restrict__ y, int64_t n, int64_t last) {
  for (int64_t j = grid_start(); j < n; j += grid_stride()) {
    const int64_t c = clip(ind[j], 0, last);
    y[j] = x[c];
  }
}

// The source offset of output j with an axis: j = (p * ni + i) * post + q
// reads x[(p * na + clip(ind[i], 0, na - 1)) * post + q].
__host__ __device__ inline int64_t take_axis_source(uint32_t j, const int32_t* ind, uint32_t ni,
                                                    uint32_t post, int64_t na) {
  const uint32_t r = j / post;  // p * ni + i
  const uint32_t q = j - r * post;
  const uint32_t p = r / ni;
  const uint32_t i = r - p * ni;
  const int64_t c = clip(ind[i], 0, na - 1);
  return (static_cast<int64_t>(p) * na + c) * post + q;
}

__global__ void take_axis_kernel(const int32_t* __restrict__ x, const int32_t* __restrict__ ind,
                                 int32_t* __restrict__ y, int64_t n, uint32_t ni, uint32_t post,
                                 int64_t na) {
  for (int64_t j = grid_start(); j < n; j += grid_stride())
    y[j] = x[take_axis_source(static_cast<uint32_t>(j), ind, ni, post, na)];
}

class TakeKernel final : public NodeKernel {
 public:
  // flat: no axis (x has nx elements). Else x is (pre, na, post) and ind has
  // ni elements.
  TakeKernel(bool flat, int64_t nx, int64_t na, int64_t post, int64_t ni)
      : flat_(flat), nx_(nx), na_(na), post_(post), ni_(ni) {}
  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const int64_t n = shape_size(out[0].type.shape);
    if (flat_) {
      take_flat_kernel<<<grid_for(n, kBlock), kBlock, 0, stream>>>(in[0].data, in[1].data,
                                                                   out[0].data, n, nx_ - 1);
    } else {
      take_axis_kernel<<<grid_for(n, kBlock), kBlock, 0, stream>>>(
          in[0].data, in[1].data, out[0].data, n, static_cast<uint32_t>(ni_),
          static_cast<uint32_t>(post_), na_);
    }
    check_launch("take");
  }

 private:
  bool flat_;
  int64_t nx_, na_, post_, ni_;
};

}  // namespace

std::unique_ptr<NodeKernel> make_take(const NodeSpec& spec) {
  const auto& a = std::any_cast<const TakeAttrs&>(spec.attrs);
  const Shape& xs = spec.inputs[0].shape;
  const int64_t ni = shape_size(spec.inputs[1].shape);
  if (!a.axis) return std::make_unique<TakeKernel>(true, shape_size(xs), 1, 1, ni);
  const auto n = static_cast<int64_t>(xs.size());
  const auto axis = static_cast<size_t>(*a.axis < 0 ? *a.axis + n : *a.axis);
  int64_t post = 1;
  for (size_t i = axis + 1; i < xs.size(); ++i) post *= xs[i];
  return std::make_unique<TakeKernel>(false, shape_size(xs), xs[axis], post, ni);
}

}  // namespace cvm::cuda
