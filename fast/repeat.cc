// repeat - fast kernel.
//
// y[j] = x[e] with e_a = j_a quot r and e_i = j_i elsewhere. Writing
// j_a = e_a * r + q (q < r) as two dims makes the source offset affine: dim
// (d_a) has x's stride, dim (r) stride 0. The factory builds that CopyPlan
// once with cvm::repeat_plan (cvm/copy_plan.h) from the static shape;
// run_copy drops unit dims, merges contiguous ones, copies runs with memcpy
// (or a fill of r copies when a is the last axis), walks outer dims with an
// odometer (no floor_div per element) and splits output ranges of >= 16K
// elements over the pool. repeat_b1 (every y value is an x value, p_y = p_x)
// licenses dropping the per-element bound check.
#include "cvm/ops/repeat.h"

#include "fast/transform_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_repeat(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const RepeatAttrs&>(spec.attrs);
  return std::make_unique<transform::PlanKernel>(repeat_plan(a, spec.inputs[0].shape));
}

}  // namespace cvm::fast
