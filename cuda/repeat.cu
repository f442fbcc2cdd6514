// repeat - CUDA kernel.
//
// What: y[j] = x[e] with e_a = j_a quot r (a the normalised axis, r the
// repeats) and e_i = j_i elsewhere. Writing j_a = e_a * r + q (q < r) as two
// dims makes the source offset affine: dim (d_a) has x's stride, dim (r)
// stride 0 (floor_div of the non-negative j_a is its quotient). The factory
// builds that CopyPlan once with cvm::repeat_plan (cvm/copy_plan.h, shared
// with fast/) from the static shape.
// Launch shape: transform::plan_copy_kernel, a 1-D grid-stride loop over the
// output (grid_for(|y|) blocks of 256 threads), one element per iteration.
// Bounds: repeat_b1 (every y value is an x value, p_y = p_x) licenses
// dropping the per-element bound check. Strides are x's (< 2^30) or 0.
#include "cuda/transform_common.cuh"
#include "cvm/ops/repeat.h"

namespace cvm::cuda {

std::unique_ptr<NodeKernel> make_repeat(const NodeSpec& spec) {
  const auto& a = std::any_cast<const RepeatAttrs&>(spec.attrs);
  return std::make_unique<transform::PlanKernel>(repeat_plan(a, spec.inputs[0].shape), "repeat");
}

}  // namespace cvm::cuda
