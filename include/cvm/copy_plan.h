// Copy plans of the transform operators, shared by the fast (fast/) and CUDA
// (cuda/) backends. Header-only, and compiles both as plain C++ and under
// nvcc.
//
// transpose, strided_slice, slice_like, tile and repeat only move int32
// values: y[j] = x[src(j)] where src is affine in the output coordinates,
// i.e. a base offset plus a per-dim source stride (0 or negative allowed)
// times each output coordinate. A CopyPlan is that map; the *_plan builders
// below derive it from an op's attributes and static shapes, once per node.
// concatenate is a row-wise interleave rather than one affine map; its
// segment layout (concatenate_rows) lives here too.
//
// What is shared is only the description of the copy. How it is executed is
// each backend's own: fast/transform_common.h walks a plan with odometers,
// memcpy runs and blocked transposes over the thread pool;
// cuda/transform_common.cuh turns it into a DevicePlan for a grid-stride
// gather kernel. Since both start from the same plan, they read the same
// source element for every output element by construction.
//
// Arithmetic: strides and offsets are int64. Every extent is at most |y|
// <= 2^30 (tensor_c3); every stride a builder records is 0 or below 2^30 in
// magnitude (x's row-major strides, and for strided_slice the bounded
// products explained at strided_slice_plan); every offset a plan produces is
// an index of x (< 2^30), which each op's Bounds labels guarantee.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cvm/intmath.h"
#include "cvm/ops/concatenate.h"
#include "cvm/ops/repeat.h"
#include "cvm/ops/strided_slice.h"
#include "cvm/ops/tile.h"
#include "cvm/ops/transpose.h"
#include "cvm/shape.h"
#include "cvm/tensor.h"

/// Marks functions that CUDA device code may call as well; empty for a plain
/// C++ compiler, which knows no __host__ / __device__.
#if defined(__CUDACC__)
#define CVM_HOST_DEVICE __host__ __device__
#else
#define CVM_HOST_DEVICE
#endif

namespace cvm {

/// Most dims a plan can hold: tile splits each of up to kMaxRank output dims
/// into two (12 dims), every other builder pushes at most kMaxRank + 1; the
/// rest is slack.
inline constexpr int kPlanMaxRank = 16;

/// y (row-major, dims) [j] = x[base + sum_i j_i * stride_i].
struct CopyPlan {
  int rank = 0;                        ///< Number of output dims in use, in [0, kPlanMaxRank].
  int64_t dims[kPlanMaxRank] = {};     ///< Extent of each output dim, outermost first; the first `rank` are used.
  int64_t stride[kPlanMaxRank] = {};   ///< Source step, in elements, per unit of each output coordinate (0 repeats a value).
  int64_t base = 0;                    ///< Source element offset of output element 0.

  /// Appends an output dim of extent d whose coordinate advances the source
  /// by s.
  void push(int64_t d, int64_t s) {
    dims[rank] = d;
    // The only coordinate of an extent-1 dim is 0, so its stride never
    // contributes to an offset; recording 0 instead of s means no later
    // product (plan_simplify's merge test, a kernel's idx * stride) can
    // involve an arbitrary s, e.g. a strided_slice step near 2^63 on an
    // axis where the output keeps one element.
    stride[rank] = d == 1 ? 0 : s;
    ++rank;
  }
  /// Number of output elements, |y|.
  CVM_HOST_DEVICE int64_t size() const {
    int64_t n = 1;
    for (int i = 0; i < rank; ++i) n *= dims[i];
    return n;
  }
};

/// The same map with fewer dims: extent-1 dims are dropped (they never move
/// the offset) and dims i, i+1 are merged when stride_i == stride_{i+1} *
/// d_{i+1} (one step of dim i then moves the source as far as d_{i+1} steps
/// of dim i+1, so the pair walks one arithmetic sequence of d_i * d_{i+1}
/// offsets with stride stride_{i+1}). Fewer, longer dims only shorten the
/// per-element index arithmetic and lengthen the contiguous runs; the
/// offsets visited, in order, are unchanged. The result has rank >= 1 (a
/// single dim of extent 1 for a one-element plan).
inline CopyPlan plan_simplify(const CopyPlan& p) {
  CopyPlan q;
  q.base = p.base;
  for (int i = 0; i < p.rank; ++i) {
    if (p.dims[i] == 1) continue;
    if (q.rank > 0 && q.stride[q.rank - 1] == p.stride[i] * p.dims[i]) {
      q.dims[q.rank - 1] *= p.dims[i];
      q.stride[q.rank - 1] = p.stride[i];
    } else {
      q.dims[q.rank] = p.dims[i];
      q.stride[q.rank] = p.stride[i];
      ++q.rank;
    }
  }
  if (q.rank == 0) {
    q.dims[0] = 1;
    q.stride[0] = 0;
    q.rank = 1;
  }
  return q;
}

/// Row-major strides of a shape into out[0, rank) (the last dim's is 1).
inline void strides_of(const Shape& s, int64_t* out) {
  int64_t st = 1;
  for (size_t i = s.size(); i-- > 0;) {
    out[i] = st;
    st *= s[i];
  }
}

/// transpose: y[j] = x[e] with e_{a_i} = j_i, a the permutation with negative
/// entries normalised (empty axes: the reversed order). Output dim i moves
/// the source by x's stride of dim a_i.
inline CopyPlan transpose_plan(const TransposeAttrs& a, const Shape& xs) {
  const auto n = static_cast<int64_t>(xs.size());
  // One spare entry: strides_of writes at most kMaxRank of them.
  int64_t xst[kMaxRank + 1] = {};
  strides_of(xs, xst);
  CopyPlan plan;
  for (int64_t i = 0; i < n; ++i) {
    int64_t ai = a.axes.empty() ? n - 1 - i : a.axes[static_cast<size_t>(i)];
    if (ai < 0) ai += n;
    plan.push(xs[static_cast<size_t>(ai)], xst[ai]);
  }
  return plan;
}

/// strided_slice: y[k] = x[b + s * k] per axis, s_i the step (may be
/// negative) and b_i the begin as the spec clamps it: begin 0 / step 1 past
/// the listed entries, a negative begin counted from the end, then clamped to
/// [0, d] for s > 0 or [-1, d - 1] for s < 0. The output extents ys come from
/// the validated output shape. Output dim i moves the source by s_i times x's
/// stride of dim i; the base is sum_i b_i * stride_x(i).
/// Range (strided_slice_b2): every source coordinate b_i + s_i k_i is in
/// [0, d_i - 1]. An axis with out_i = 1 is pushed with stride 0, so a step
/// near 2^63 is never multiplied; with out_i >= 2, |s_i| <= d_i - 1 < 2^24,
/// so |s_i * stride_x(i)| < 2^30.
inline CopyPlan strided_slice_plan(const StridedSliceAttrs& a, const Shape& xs, const Shape& ys) {
  int64_t xst[kMaxRank + 1] = {};
  strides_of(xs, xst);
  CopyPlan plan;
  for (size_t i = 0; i < xs.size(); ++i) {
    const int64_t d = xs[i];
    const int64_t s = i < a.stride.size() ? a.stride[i] : 1;
    const int64_t b_hat = i < a.begin.size() ? a.begin[i] : 0;
    const int64_t lo = s > 0 ? 0 : -1;
    const int64_t hi = s > 0 ? d : d - 1;
    const int64_t b = clip(b_hat < 0 ? b_hat + d : b_hat, lo, hi);
    plan.base += b * xst[i];
    // The product is formed only when out_i >= 2 (push would discard it
    // anyway), which is what bounds |s| by d - 1.
    plan.push(ys[i], ys[i] == 1 ? 0 : s * xst[i]);
  }
  return plan;
}

/// slice_like: y[d] = x[d] for every index d of y (ys <= xs dim by dim): each
/// output dim moves the source by x's stride of the same dim.
inline CopyPlan slice_like_plan(const Shape& xs, const Shape& ys) {
  int64_t xst[kMaxRank + 1] = {};
  strides_of(xs, xst);
  CopyPlan plan;
  for (size_t i = 0; i < ys.size(); ++i) plan.push(ys[i], xst[i]);
  return plan;
}

/// tile: y[j] = x[e] with e_t = j_{K-N+t} mod d_t, reps right-aligned with
/// x's shape (K = max(N, M), missing entries 1 on either side). j_k mod d'_k
/// is not affine in j_k, but splitting output dim k into two dims,
/// j_k = q * d'_k + e_k with q < r'_k and e_k < d'_k, makes it so: the
/// repetition dim (r'_k) has source stride 0 and the inner dim (d'_k) x's
/// stride (0 for the dims x lacks). Rank <= 2 * kMaxRank.
inline CopyPlan tile_plan(const TileAttrs& a, const Shape& xs) {
  const std::vector<int64_t>& r = a.reps;
  const auto N = static_cast<int64_t>(xs.size());
  const auto M = static_cast<int64_t>(r.size());
  const int64_t K = std::max(N, M);
  int64_t xst[kMaxRank + 1] = {};
  strides_of(xs, xst);
  CopyPlan plan;
  for (int64_t k = 0; k < K; ++k) {
    const bool has_d = k >= K - N;
    const int64_t dk = has_d ? xs[static_cast<size_t>(k - K + N)] : 1;
    const int64_t sk = has_d ? xst[k - K + N] : 0;
    const int64_t rk = k < K - M ? 1 : r[static_cast<size_t>(k - K + M)];
    plan.push(rk, 0);
    plan.push(dk, sk);
  }
  return plan;
}

/// repeat: y[j] = x[e] with e_a = j_a quot r (a the normalised axis, r the
/// repeats) and e_i = j_i elsewhere. Splitting j_a = e_a * r + q (q < r) into
/// two dims makes the source affine: dim (d_a) keeps x's stride, the dim (r)
/// after it has stride 0, so the r copies of an element read it r times.
inline CopyPlan repeat_plan(const RepeatAttrs& a, const Shape& xs) {
  const auto n = static_cast<int64_t>(xs.size());
  const int64_t ax = a.axis < 0 ? a.axis + n : a.axis;
  int64_t xst[kMaxRank + 1] = {};
  strides_of(xs, xst);
  CopyPlan plan;
  for (int64_t i = 0; i < n; ++i) {
    plan.push(xs[static_cast<size_t>(i)], xst[i]);
    if (i == ax) plan.push(a.repeats, 0);
  }
  return plan;
}

/// concatenate seen as rows: every tensor is viewed as (outer, extent along
/// the axis * inner), so output row o is input 0's row o, then input 1's, and
/// so on; seg[k] = s_k * inner is input k's (contiguous) share of a row.
struct ConcatRows {
  int64_t outer = 1;         ///< The number of rows: the product of the dims before the axis.
  std::vector<int64_t> seg;  ///< Per input, in input order, its elements in one row: s_k * inner.
  int64_t row = 0;           ///< The sum of seg: the elements of one output row.
};

/// The row layout of a concatenate node from its output shape and input
/// types (the axis is normalised against the output's rank).
inline ConcatRows concatenate_rows(const ConcatenateAttrs& a, const Shape& ys,
                                   const std::vector<TensorType>& inputs) {
  const auto n = static_cast<int64_t>(ys.size());
  const auto axis = static_cast<size_t>(a.axis < 0 ? a.axis + n : a.axis);
  ConcatRows rows;
  int64_t inner = 1;
  for (size_t i = 0; i < ys.size(); ++i) {
    if (i < axis) rows.outer *= ys[i];
    if (i > axis) inner *= ys[i];
  }
  for (const TensorType& t : inputs) {
    rows.seg.push_back(t.shape[axis] * inner);
    rows.row += rows.seg.back();
  }
  return rows;
}

}  // namespace cvm
