// transpose - fast kernel.
//
// y[j] = x[e] with e_{a_i} = j_i: a pure copy whose source offset is affine in
// the output coordinates (stride of output dim i = row-major stride of x's dim
// a_i). The factory builds that CopyPlan once with cvm::transpose_plan
// (cvm/copy_plan.h) from the node's static shape; run_copy merges dims that
// stay contiguous, copies runs that keep the last axis with memcpy, and when
// the last axis moves it does a blocked 2-D transpose (16 x 16 tiles of 8 x 8
// sub-blocks; with AVX2 each sub-block is 8 row loads, an in-register lane
// transpose, 8 row stores) of the output's last dim against the dim that is
// contiguous in x. Outer dims use an odometer; parallel_for over element
// ranges / tiles of >= 16K elements. transpose_b1 (each y value is an x value, already
// within p_y = p_x) licenses dropping the per-element bound check; offsets are
// indices of x (< 2^30) held in int64.
#include "cvm/ops/transpose.h"

#include "fast/transform_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_transpose(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const TransposeAttrs&>(spec.attrs);
  return std::make_unique<transform::PlanKernel>(transpose_plan(a, spec.inputs[0].shape));
}

}  // namespace cvm::fast
