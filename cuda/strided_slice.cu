// strided_slice - CUDA kernel.
//
// What: y[k] = x[b + s * k] per axis (b_i the clamped begin, s_i the stride,
// which may be negative): a gather whose source offset is affine in the
// output coordinates. The factory builds that CopyPlan once with
// cvm::strided_slice_plan (cvm/copy_plan.h, shared with fast/), which clamps
// b_i as the reference's slices() does and takes out_i from the validated
// output shape.
// Launch shape: transform::plan_copy_kernel, a 1-D grid-stride loop over the
// output (grid_for(|y|) blocks of 256 threads), one element per iteration.
// Bounds: strided_slice_b2 licenses the offsets: every source coordinate
// b_i + s_i k_i lies in [0, d_i - 1] (and |s_i * stride_x(i)| < 2^30 on
// every dim the plan walks, see strided_slice_plan).
// strided_slice_b1 (y values are x values, p_y = p_x) licenses dropping the
// per-element bound check.
#include "cuda/transform_common.cuh"
#include "cvm/ops/strided_slice.h"

namespace cvm::cuda {

std::unique_ptr<NodeKernel> make_strided_slice(const NodeSpec& spec) {
  const auto& a = std::any_cast<const StridedSliceAttrs&>(spec.attrs);
  return std::make_unique<transform::PlanKernel>(
      strided_slice_plan(a, spec.inputs[0].shape, spec.outputs[0].shape), "strided_slice");
}

}  // namespace cvm::cuda
