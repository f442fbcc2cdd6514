// strided_slice - fast kernel.
//
// y[k] = x[b + s * k] per axis (b_i the clamped begin, s_i the stride, which
// may be negative): a copy whose source offset is affine in the output
// coordinates, with per-dim source stride s_i * stride_x(i) and base
// sum_i b_i * stride_x(i). The factory recomputes b_i and out_i exactly as the
// spec (padding, normalisation, clamping to [0, d] or [-1, d-1]) and builds
// that transform::CopyPlan once; run_copy merges contiguous dims, copies unit
// stride runs with memcpy and other runs with a strided loop, walks outer dims
// with an odometer and splits element ranges of >= 16K over the pool.
// strided_slice_b2 licenses the offsets: every source coordinate
// b_i + s_i k_i lies in [0, d_i - 1], and |s_i k_i| <= d_i - 1; a dim with
// out_i = 1 gets plan stride 0, so s_i near 2^63 is never multiplied (the
// products s_i * stride_x(i) for out_i >= 2 have |s_i| < 2^24 and
// stride_x < 2^30: int64). strided_slice_b1 (y values are x values, p_y = p_x)
// licenses dropping the per-element bound check.
#include "cvm/ops/strided_slice.h"

#include "cvm/intmath.h"
#include "fast/transform_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_strided_slice(const NodeSpec& spec) {
  const auto& a = std::any_cast<const StridedSliceAttrs&>(spec.attrs);
  const Shape& xs = spec.inputs[0].shape;
  const Shape& ys = spec.outputs[0].shape;
  int64_t xst[kMaxRank + 1] = {};
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
  return std::make_unique<transform::PlanKernel>(plan);
}

}  // namespace cvm::fast
