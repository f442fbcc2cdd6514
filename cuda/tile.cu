// tile - CUDA kernel.
//
// What: y[j] = x[e] with e_t = j_{K-N+t} mod d_t (reps right-aligned with x's
// shape, K = max(N, M)). Writing each output dim j_k = q * d'_k + e_k
// (q < r'_k, e_k < d'_k) as two dims makes the source offset affine: dim
// (r'_k) has source stride 0 and dim (d'_k) x's row-major stride (floor_mod of
// the non-negative j_k is its remainder). The factory builds that
// transform::CopyPlan (rank <= 12) once from the static shape and reps.
// Launch shape: transform::plan_copy_kernel, a 1-D grid-stride loop over the
// output (grid_for(|y|) blocks of 256 threads), one element per iteration.
// Bounds: tile_b1 (every y value is an x value, p_y = p_x) licenses dropping
// the per-element bound check. Strides are x's (< 2^30) or 0.
#include <algorithm>

#include "cuda/transform_common.cuh"
#include "cvm/ops/tile.h"

namespace cvm::cuda {

std::unique_ptr<NodeKernel> make_tile(const NodeSpec& spec) {
  const auto& r = std::any_cast<const TileAttrs&>(spec.attrs).reps;
  const Shape& xs = spec.inputs[0].shape;
  const auto N = static_cast<int64_t>(xs.size());
  const auto M = static_cast<int64_t>(r.size());
  const int64_t K = std::max(N, M);
  int64_t xst[kMaxRank] = {};
  transform::strides_of(xs, xst);
  transform::CopyPlan plan;
  for (int64_t k = 0; k < K; ++k) {
    const bool has_d = k >= K - N;
    const int64_t dk = has_d ? xs[static_cast<size_t>(k - K + N)] : 1;
    const int64_t sk = has_d ? xst[k - K + N] : 0;
    const int64_t rk = k < K - M ? 1 : r[static_cast<size_t>(k - K + M)];
    plan.push(rk, 0);
    plan.push(dk, sk);
  }
  return std::make_unique<transform::PlanKernel>(plan, "tile");
}

}  // namespace cvm::cuda
