// concatenate - CUDA kernel.
//
// What: viewing each tensor as (outer, s_k * inner) with s_k the input's
// extent along the (normalised) axis, output row o is the concatenation of
// the inputs' rows o: segment k is input k's contiguous run of
// seg_k = s_k * inner values, at column off_k = sum_{k' < k} seg_k' of the
// output row of length row = sum_k seg_k. This is the reference's search for
// the input k with o_k <= d_a < o_k + s_k, done once per input instead of per
// element. Segment lengths and offsets are fixed by the node's static shapes
// and computed in the factory (the lengths by cvm::concatenate_rows,
// cvm/copy_plan.h, shared with fast/).
// Launch shape: one launch of concat_segment_kernel per input k (in order, on
// the same stream), a 1-D grid-stride loop over that input's outer * seg_k
// elements (grid_for blocks of 256 threads): element i = o * seg_k + t goes
// to y[o * row + off_k + t]. Reads are contiguous, stores contiguous within
// a segment. The inputs' segments tile every output row, so every output
// element is written exactly once.
// Bounds: concatenate_b1 (each y value is a value of some x_k, within
// R(p_k) <= R(p_y)) licenses copying without the per-element bound check.
// Indices are below 2^30 (tensor_c3): the div/mod is exact in uint32, the
// output offset is formed in int64.
#include <vector>

#include "cuda/device_common.cuh"
#include "cvm/copy_plan.h"
#include "cvm/ops/concatenate.h"

namespace cvm::cuda {
namespace {

constexpr unsigned kBlock = 256;

// The output offset of element i = o * seg + t of an input: o * row + off + t.
__host__ __device__ inline int64_t concat_dest(uint32_t i, uint32_t seg, int64_t row, int64_t off) {
  const uint32_t o = i / seg;
  const uint32_t t = i - o * seg;
  return static_cast<int64_t>(o) * row + off + t;
}

// y[concat_dest(i)] = x[i] for i < n.
__global__ void concat_segment_kernel(const int32_t* __restrict__ x, int32_t* __restrict__ y,
                                      uint32_t n, uint32_t seg, int64_t row, int64_t off) {
  for (int64_t i = grid_start(); i < n; i += grid_stride())
    y[concat_dest(static_cast<uint32_t>(i), seg, row, off)] = x[i];
}

class ConcatenateKernel final : public NodeKernel {
 public:
  explicit ConcatenateKernel(ConcatRows rows) : rows_(std::move(rows)) {}
  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    int32_t* y = out[0].data;
    int64_t off = 0;
    for (size_t k = 0; k < rows_.seg.size(); ++k) {
      const int64_t seg = rows_.seg[k];
      const int64_t n = rows_.outer * seg;  // |x_k| <= 2^30
      concat_segment_kernel<<<grid_for(n, kBlock), kBlock, 0, stream>>>(
          in[k].data, y, static_cast<uint32_t>(n), static_cast<uint32_t>(seg), rows_.row, off);
      check_launch("concatenate");
      off += seg;
    }
  }

 private:
  ConcatRows rows_;
};

}  // namespace

std::unique_ptr<NodeKernel> make_concatenate(const NodeSpec& spec) {
  const auto& a = std::any_cast<const ConcatenateAttrs&>(spec.attrs);
  return std::make_unique<ConcatenateKernel>(
      concatenate_rows(a, spec.outputs[0].shape, spec.inputs));
}

}  // namespace cvm::cuda
