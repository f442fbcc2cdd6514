// transpose - CUDA kernel.
//
// What: y[j] = x[e] with e_{a_i} = j_i (a the normalised permutation; empty
// axes reverse them), a pure gather whose source offset is affine in the
// output coordinates: output dim i has source stride = x's row-major stride
// of dim a_i. The factory builds that transform::CopyPlan once from the
// node's static shape (plan_simplify merges dims that stay contiguous).
// Launch shape: transform::plan_copy_kernel, a 1-D grid-stride loop over the
// output (grid_for(|y|) blocks of 256 threads), one element per iteration:
// coalesced stores, reads coalesced when the last axis stays last.
// Bounds: transpose_b1 (each y value is an x value, already within
// p_y = p_x) licenses dropping the per-element bound check. Strides are x's
// row-major strides (< 2^30); offsets are indices of x.
#include "cuda/transform_common.cuh"
#include "cvm/ops/transpose.h"

namespace cvm::cuda {

std::unique_ptr<NodeKernel> make_transpose(const NodeSpec& spec) {
  const auto& a = std::any_cast<const TransposeAttrs&>(spec.attrs);
  const Shape& xs = spec.inputs[0].shape;
  const auto n = static_cast<int64_t>(xs.size());
  int64_t xst[kMaxRank] = {};
  transform::strides_of(xs, xst);
  transform::CopyPlan plan;
  for (int64_t i = 0; i < n; ++i) {
    int64_t ai = a.axes.empty() ? n - 1 - i : a.axes[static_cast<size_t>(i)];
    if (ai < 0) ai += n;
    plan.push(xs[static_cast<size_t>(ai)], xst[ai]);
  }
  return std::make_unique<transform::PlanKernel>(plan, "transpose");
}

}  // namespace cvm::cuda
