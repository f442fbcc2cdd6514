// strided_slice - fast kernel.
//
// y[k] = x[b + s * k] per axis (b_i the clamped begin, s_i the stride, which
// may be negative): a copy whose source offset is affine in the output
// coordinates. The factory builds that CopyPlan once with
// cvm::strided_slice_plan (cvm/copy_plan.h: begin clamping as the spec, per-dim
// source stride s_i * stride_x(i), base sum_i b_i * stride_x(i)); run_copy
// merges contiguous dims, copies unit stride runs with memcpy and other runs
// with a strided loop, walks outer dims with an odometer and splits element
// ranges of >= 16K over the pool.
// strided_slice_b2 licenses the offsets: every source coordinate
// b_i + s_i k_i lies in [0, d_i - 1] (the plan's int64 strides stay below
// 2^30, see strided_slice_plan). strided_slice_b1 (y values are x values,
// p_y = p_x) licenses dropping the per-element bound check.
#include "cvm/ops/strided_slice.h"

#include "fast/transform_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_strided_slice(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const StridedSliceAttrs&>(spec.attrs);
  return std::make_unique<transform::PlanKernel>(
      strided_slice_plan(a, spec.inputs[0].shape, spec.outputs[0].shape));
}

}  // namespace cvm::fast
