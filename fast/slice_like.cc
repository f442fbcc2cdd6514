// slice_like - fast kernel.
//
// y[d] = x[d] for every index d of y (shape(y) <= shape(x) dim by dim): a copy
// whose source strides are x's row-major strides. The factory builds that
// transform::CopyPlan from the node's static shapes; run_copy merges the
// trailing dims that are not cropped into one contiguous run copied with
// memcpy, walks the outer dims with an odometer, and splits output element
// ranges of >= 16K elements over the pool. slice_like_b1 (every y value is an
// x value, within p_y = p_x, and d is an index of x) licenses dropping the
// per-element checks. The like input is never read.
#include "fast/transform_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_slice_like(const NodeSpec& spec) {
  const Shape& xs = spec.inputs[0].shape;
  const Shape& ys = spec.outputs[0].shape;
  int64_t xst[kMaxRank + 1] = {};
  transform::strides_of(xs, xst);
  transform::CopyPlan plan;
  for (size_t i = 0; i < ys.size(); ++i) plan.push(ys[i], xst[i]);
  return std::make_unique<transform::PlanKernel>(plan);
}

}  // namespace cvm::fast
