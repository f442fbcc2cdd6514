// tile - fast kernel.
//
// y[j] = x[e] with e_t = j_{K-N+t} mod d_t. Each output dim split in two (a
// repetition dim of source stride 0, then x's dim) makes the source offset
// affine; the factory builds that CopyPlan (rank <= 12) once with
// cvm::tile_plan (cvm/copy_plan.h) from the static shape and reps; run_copy
// drops unit dims, merges contiguous ones, copies each run of x's last dim with
// memcpy (a fill when that dim is a repetition), walks the outer dims with an
// odometer (no floor_mod per element) and splits output ranges of >= 16K
// elements over the pool. tile_b1 (every y value is an x value, p_y = p_x)
// licenses dropping the per-element bound check.
#include "cvm/ops/tile.h"

#include "fast/transform_common.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_tile(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const TileAttrs&>(spec.attrs);
  return std::make_unique<transform::PlanKernel>(tile_plan(a, spec.inputs[0].shape));
}

}  // namespace cvm::fast
