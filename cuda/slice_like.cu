// slice_like - CUDA kernel.
//
// What: y[d] = x[d] for every index d of y (shape(y) <= shape(x) dim by dim,
// fixed by the validator from the like input's shape and the axis list): a
// gather whose source strides are x's row-major strides. The factory builds
// that CopyPlan with cvm::slice_like_plan (cvm/copy_plan.h, shared with
// fast/) from the node's static shapes; the like input is never read.
// Launch shape: transform::plan_copy_kernel, a 1-D grid-stride loop over the
// output (grid_for(|y|) blocks of 256 threads), one element per iteration;
// uncropped trailing dims merge into one contiguous run (coalesced reads).
// Bounds: slice_like_b1 (every y value is an x value, within p_y = p_x, and
// d is an index of x) licenses dropping the per-element checks.
#include "cuda/transform_common.cuh"

namespace cvm::cuda {

std::unique_ptr<NodeKernel> make_slice_like(const NodeSpec& spec) {
  return std::make_unique<transform::PlanKernel>(
      slice_like_plan(spec.inputs[0].shape, spec.outputs[0].shape), "slice_like");
}

}  // namespace cvm::cuda
