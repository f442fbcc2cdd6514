// strided_slice - CUDA kernel.
//
// What: y[k] = x[b + s * k] per axis (b_i the clamped begin, s_i the stride,
// which may be negative): a gather whose source offset is affine in the
// output coordinates, with per-dim source stride s_i * stride_x(i) and base
// sum_i b_i * stride_x(i). The factory recomputes b_i exactly as the
// reference's slices() (padding with begin 0 / stride 1 beyond the listed
// entries, negative begin + d, clamping to [0, d] for s > 0 or [-1, d - 1]
// for s < 0) and takes out_i from the validated output shape; it builds that
// transform::CopyPlan once.
// Launch shape: transform::plan_copy_kernel, a 1-D grid-stride loop over the
// output (grid_for(|y|) blocks of 256 threads), one element per iteration.
// Bounds: strided_slice_b2 licenses the offsets: every source coordinate
// b_i + s_i k_i lies in [0, d_i - 1], and |s_i k_i| <= d_i - 1; a dim with
// out_i = 1 gets plan stride 0, so s_i near 2^63 is never multiplied (for
// out_i >= 2, |s_i| <= d_i - 1 < 2^24 and |s_i * stride_x(i)| < 2^30).
// strided_slice_b1 (y values are x values, p_y = p_x) licenses dropping the
// per-element bound check.
#include "cuda/transform_common.cuh"
#include "cvm/intmath.h"
#include "cvm/ops/strided_slice.h"

namespace cvm::cuda {

std::unique_ptr<NodeKernel> make_strided_slice(const NodeSpec& spec) {
  const auto& a = std::any_cast<const StridedSliceAttrs&>(spec.attrs);
  const Shape& xs = spec.inputs[0].shape;
  const Shape& ys = spec.outputs[0].shape;
  int64_t xst[kMaxRank] = {};
  transform::strides_of(xs, xst);
  transform::CopyPlan plan;
  for (size_t i = 0; i < xs.size(); ++i) {
    const int64_t d = xs[i];
    const int64_t s = i < a.stride.size() ? a.stride[i] : 1;
    const int64_t b_hat = i < a.begin.size() ? a.begin[i] : 0;
    const int64_t lo = s > 0 ? 0 : -1;
    const int64_t hi = s > 0 ? d : d - 1;
    const int64_t b = clip(b_hat < 0 ? b_hat + d : b_hat, lo, hi);
    plan.base += b * xst[i];
    // push() stores stride 0 for a unit dim, so s * xst is formed only when
    // out_i >= 2, i.e. |s| <= d - 1.
    plan.push(ys[i], ys[i] == 1 ? 0 : s * xst[i]);
  }
  return std::make_unique<transform::PlanKernel>(plan, "strided_slice");
}

}  // namespace cvm::cuda
