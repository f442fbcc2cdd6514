// repeat - CUDA kernel.
//
// What: y[j] = x[e] with e_a = j_a quot r (a the normalised axis, r the
// repeats) and e_i = j_i elsewhere. Writing j_a = e_a * r + q (q < r) as two
// dims makes the source offset affine: dim (d_a) has x's stride, dim (r)
// stride 0 (floor_div of the non-negative j_a is its quotient). The factory
// builds that transform::CopyPlan once from the static shape.
// Launch shape: transform::plan_copy_kernel, a 1-D grid-stride loop over the
// output (grid_for(|y|) blocks of 256 threads), one element per iteration.
// Bounds: repeat_b1 (every y value is an x value, p_y = p_x) licenses
// dropping the per-element bound check. Strides are x's (< 2^30) or 0.
#include "cuda/transform_common.cuh"
#include "cvm/ops/repeat.h"

namespace cvm::cuda {

std::unique_ptr<NodeKernel> make_repeat(const NodeSpec& spec) {
  const auto& a = std::any_cast<const RepeatAttrs&>(spec.attrs);
  const Shape& xs = spec.inputs[0].shape;
  const auto n = static_cast<int64_t>(xs.size());
  const int64_t ax = a.axis < 0 ? a.axis + n : a.axis;
  int64_t xst[kMaxRank] = {};
  transform::strides_of(xs, xst);
  transform::CopyPlan plan;
  for (int64_t i = 0; i < n; ++i) {
    plan.push(xs[static_cast<size_t>(i)], xst[i]);
    if (i == ax) plan.push(a.repeats, 0);
  }
  return std::make_unique<transform::PlanKernel>(plan, "repeat");
}

}  // namespace cvm::cuda
