// transpose - CUDA kernel.
//
// What: y[j] = x[e] with e_{a_i} = j_i (a the normalised permutation; empty
// axes reverse them), a pure gather whose source offset is affine in the
// output coordinates: output dim i has source stride = x's row-major stride
// of dim a_i. The factory builds that CopyPlan once with cvm::transpose_plan
// (cvm/copy_plan.h, shared with fast/) from the node's static shape
// (plan_simplify merges dims that stay contiguous).
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
  return std::make_unique<transform::PlanKernel>(transpose_plan(a, spec.inputs[0].shape),
                                                 "transpose");
}

}  // namespace cvm::cuda
