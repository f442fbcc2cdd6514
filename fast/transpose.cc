// transpose - fast kernel.
//
// y[j] = x[e] with e_{a_i} = j_i: a pure copy whose source offset is affine in
// the output coordinates (stride of output dim i = row-major stride of x's dim
// a_i). The factory builds that transform::CopyPlan once from the node's
// static shape; run_copy merges dims that stay contiguous, copies runs that
// keep the last axis with memcpy, and when the last axis moves it does a
// blocked 2-D transpose (16 x 16 tiles of 8 x 8 sub-blocks; with AVX2 each
// sub-block is 8 row loads, an in-register lane transpose, 8 row stores) of
// the output's last dim against the dim that is contiguous in x. Outer dims use an odometer;
// parallel_for over element ranges / tiles of >= 16K elements. transpose_b1 (each y value is an x
// value, already within p_y = p_x) licenses dropping the per-element bound check; offsets are
// indices of x (< 2^30) held in int64.
#include "cvm/ops/transpose.h"

#include "fast/transform_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_transpose(const NodeSpec& spec) {
  const auto& a = std::any_cast<const TransposeAttrs&>(spec.attrs);
  const Shape& xs = spec.inputs[0].shape;
  const auto n = static_cast<int64_t>(xs.size());
  int64_t xst[kMaxRank + 1] = {};
  transform::strides_of(xs, xst);
  transform::CopyPlan plan;
  for (int64_t i = 0; i < n; ++i) {
    int64_t ai = a.axes.empty() ? n - 1 - i : a.axes[static_cast<size_t>(i)];
    if (ai < 0) ai += n;
    plan.push(xs[static_cast<size_t>(ai)], xst[ai]);
  }
  return std::make_unique<transform::PlanKernel>(plan);
}

}  // namespace cvm::fast
