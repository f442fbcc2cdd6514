// slice_like - fast kernel.
//
// y[d] = x[d] for every index d of y (shape(y) <= shape(x) dim by dim): a copy
// whose source strides are x's row-major strides. The factory builds that
// CopyPlan with cvm::slice_like_plan (cvm/copy_plan.h) from the node's static
// shapes; run_copy merges the trailing dims that are not cropped into one
// contiguous run copied with memcpy, walks the outer dims with an odometer, and
// splits output element ranges of >= 16K elements over the pool. slice_like_b1
// (every y value is an x value, within p_y = p_x, and d is an index of x)
// licenses dropping the per-element checks. The like input is never read.
#include "fast/transform_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_slice_like(const NodeSpec& spec, const KernelOptions&) {
  return std::make_unique<transform::PlanKernel>(
      slice_like_plan(spec.inputs[0].shape, spec.outputs[0].shape));
}

}  // namespace cvm::fast
