// Shared helpers of the "transform" group (concatenate, transpose, slice_like,
// strided_slice, take, tile, repeat, upsampling, reshape, flatten, expand_dims,
// squeeze): kernels that only move int32 values, never compute on them.
//
// Most of them are a copy y[j] = x[src(j)] where src is affine in the output
// coordinates: a cvm::CopyPlan, built by the op's builder in cvm/copy_plan.h
// (shared with the CUDA backend). run_copy() first applies plan_simplify(),
// which drops unit dims and merges adjacent dims that are contiguous in the
// source, so the innermost dim becomes the longest possible run; it then
// walks the output in order:
//  - outer dims with an odometer (one unravel per parallel chunk, none per
//    element or row; whole rows along the second-to-last dim in a tight
//    loop), each inner run copied with copy_ints (64-byte memcpy steps) when
//    its source stride is 1, a fill when it is 0, a strided loop otherwise;
//  - when the inner run is strided but another dim is contiguous in the source
//    (a transpose moving the last axis), a blocked 2-D transpose of that dim
//    against the last one: 16 x 16 tiles made of 8 x 8 sub-blocks (AVX2: 8
//    row loads, an in-register 8 x 8 transpose of int32 lanes, 8 row stores;
//    portable: the same sub-blocks with scalar copies), so reads and writes
//    both stay within a few cache lines;
//  - parallel_for over output element ranges (or tiles) of >= ~16K elements;
//    a chunk may start or end mid-row.
// Each output element is written by exactly one chunk with a value that does
// not depend on the chunking, so results are identical for any thread count.
// Offsets are int64; every one is an index of x or y (< 2^30).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include "cvm/copy_plan.h"
#include "cvm/shape.h"
#include "fast/kernel.h"

namespace cvm::fast::transform {

/// Elements of work per parallel chunk (at least).
inline constexpr int64_t kGrainElems = 16384;
/// Side of the square tiles of the blocked transpose.
inline constexpr int64_t kTransposeBlock = 16;

/// dst[0, n) = src[0, n) for non-overlapping buffers: 64-byte constant-size
/// memcpy steps (inlined as vector moves) and one memcpy for the tail. Used
/// instead of a memcpy call for the whole run: glibc's large-copy path (rep
/// movsb) is several times slower on AMD Zen when dst - src is a few bytes
/// past a multiple of 4096, which the row copies here can hit.
inline void copy_ints(int32_t* dst, const int32_t* src, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) std::memcpy(dst + i, src + i, 64);
  if (i < n) std::memcpy(dst + i, src + i, static_cast<size_t>(n - i) * sizeof(int32_t));
}

/// dst[0, n) = src[0], src[s], src[2s], ...
inline void copy_run(int32_t* dst, const int32_t* src, int64_t n, int64_t s) {
  if (s == 1) {
    copy_ints(dst, src, n);
  } else if (s == 0) {
    std::fill(dst, dst + n, *src);
  } else {
    for (int64_t i = 0; i < n; ++i) dst[i] = src[i * s];
  }
}

/// Parallel dst[0, n) = src[0, n); nothing to do when they are the same buffer
/// (an in-place reshape).
inline void parallel_memcpy(int32_t* dst, const int32_t* src, int64_t n, const Exec& exec) {
  if (dst == src || n == 0) return;
  constexpr int64_t kGrain = int64_t{1} << 16;
  exec.parallel_for(n, kGrain, [&](int64_t b, int64_t e) { copy_ints(dst + b, src + b, e - b); });
}

namespace detail {

// Output elements [eb, ee) of the plan, in row-major order: rows are the
// last dim, every other dim is an outer dim walked by an odometer.
inline void copy_range(const CopyPlan& p, const int32_t* src, int32_t* dst, int64_t eb,
                       int64_t ee) {
  const int R = p.rank - 1;  // outer dims 0 .. R-1
  const int64_t inner = p.dims[R];
  const int64_t sin = p.stride[R];
  int64_t idx[kPlanMaxRank] = {};
  int64_t off = p.base;
  // One unravel per chunk.
  int64_t r = eb / inner;
  int64_t col = eb % inner;
  for (int i = R - 1; i >= 0; --i) {
    idx[i] = r % p.dims[i];
    r /= p.dims[i];
    off += idx[i] * p.stride[i];
  }
  int32_t* out = dst + eb;
  int64_t left = ee - eb;
  while (left > 0) {
    if (col == 0 && R >= 1 && left >= inner) {
      // Whole rows along dim R-1 up to its end (or the chunk's): a tight
      // loop, then one carry into the dims above.
      const int64_t m = std::min(p.dims[R - 1] - idx[R - 1], left / inner);
      const int64_t st = p.stride[R - 1];
      if (sin == 0) {
        for (int64_t t = 0; t < m; ++t, out += inner, off += st)
          std::fill(out, out + inner, src[off]);
      } else {
        for (int64_t t = 0; t < m; ++t, out += inner, off += st)
          copy_run(out, src + off, inner, sin);
      }
      left -= m * inner;
      idx[R - 1] += m;
      if (idx[R - 1] < p.dims[R - 1]) continue;
      off -= idx[R - 1] * st;
      idx[R - 1] = 0;
      for (int i = R - 2; i >= 0; --i) {
        off += p.stride[i];
        if (++idx[i] < p.dims[i]) break;
        off -= idx[i] * p.stride[i];
        idx[i] = 0;
      }
      continue;
    }
    const int64_t n = std::min(inner - col, left);
    copy_run(out, src + off + col * sin, n, sin);
    out += n;
    left -= n;
    col = 0;
    // Odometer step over the outer dims.
    for (int i = R - 1; i >= 0; --i) {
      off += p.stride[i];
      if (++idx[i] < p.dims[i]) break;
      off -= idx[i] * p.stride[i];
      idx[i] = 0;
    }
  }
}

// One tile of the blocked transpose: d[kk * ds + ll] = s[kk + ll * ss] for
// kk < nk, ll < nl (nk, nl <= kTransposeBlock). Portable: 8 x 8 sub-blocks of
// scalar copies (8 source rows of 8 contiguous values at a time).
inline void transpose_tile(const int32_t* s, int64_t ss, int32_t* d, int64_t ds, int64_t nk,
                           int64_t nl) {
  for (int64_t k0 = 0; k0 < nk; k0 += 8) {
    const int64_t k1 = std::min(nk, k0 + 8);
    for (int64_t l0 = 0; l0 < nl; l0 += 8) {
      const int64_t l1 = std::min(nl, l0 + 8);
      for (int64_t kk = k0; kk < k1; ++kk)
        for (int64_t ll = l0; ll < l1; ++ll) d[kk * ds + ll] = s[kk + ll * ss];
    }
  }
}

}  // namespace detail

/// transpose_tile with AVX2 8 x 8 register transposes (fast/transform_common_avx2.cc).
void transpose_tile_avx2(const int32_t* s, int64_t ss, int32_t* d, int64_t ds, int64_t nk,
                         int64_t nl);

namespace detail {

// Blocked transpose: dim k (k < rank-1) has source stride 1, the last dim a
// strided source. Work units: (outer coordinate over the other dims, tile row
// block of dim k). Units [ub, ue).
inline void copy_tiles(const CopyPlan& p, int k, int64_t nkb, const int32_t* src, int32_t* dst,
                       int64_t ub, int64_t ue, bool avx2) {
  const int L = p.rank - 1;
  const int64_t dk = p.dims[k];
  const int64_t dl = p.dims[L];
  const int64_t sl = p.stride[L];
  // Output strides.
  int64_t ostr[kPlanMaxRank];
  ostr[L] = 1;
  for (int i = L - 1; i >= 0; --i) ostr[i] = ostr[i + 1] * p.dims[i + 1];
  const int64_t ok = ostr[k];
  // Outer dims: all but k and L, in order; unit index u = outer * nkb + kb.
  int od[kPlanMaxRank];
  int no = 0;
  for (int i = 0; i < L; ++i)
    if (i != k) od[no++] = i;
  int64_t idx[kPlanMaxRank] = {};
  int64_t soff = p.base, doff = 0;
  int64_t outer = ub / nkb;
  int64_t kb = ub % nkb;
  for (int j = no - 1; j >= 0; --j) {
    const int i = od[j];
    idx[j] = outer % p.dims[i];
    outer /= p.dims[i];
    soff += idx[j] * p.stride[i];
    doff += idx[j] * ostr[i];
  }
  for (int64_t u = ub; u < ue; ++u) {
    const int64_t k0 = kb * kTransposeBlock;
    const int64_t nk = std::min(dk - k0, kTransposeBlock);
    for (int64_t l0 = 0; l0 < dl; l0 += kTransposeBlock) {
      const int64_t nl = std::min(dl - l0, kTransposeBlock);
      // Source: dim k has stride 1, dim L stride sl.
      const int32_t* s = src + soff + k0 + l0 * sl;
      int32_t* d = dst + doff + k0 * ok + l0;
      if (avx2) {
        transpose_tile_avx2(s, sl, d, ok, nk, nl);
      } else {
        transpose_tile(s, sl, d, ok, nk, nl);
      }
    }
    // Next unit: next tile row block, then odometer over the outer dims.
    if (++kb == nkb) {
      kb = 0;
      for (int j = no - 1; j >= 0; --j) {
        const int i = od[j];
        soff += p.stride[i];
        doff += ostr[i];
        if (++idx[j] < p.dims[i]) break;
        soff -= idx[j] * p.stride[i];
        doff -= idx[j] * ostr[i];
        idx[j] = 0;
      }
    }
  }
}

}  // namespace detail

/// Runs a plan (already simplified or not): writes all of dst[0, plan.size()).
inline void run_copy(const CopyPlan& plan, const int32_t* src, int32_t* dst, const Exec& exec) {
  const CopyPlan p = plan_simplify(plan);
  if (p.size() == 0) return;
  const int L = p.rank - 1;
  const int64_t inner = p.dims[L];
  // Blocked transpose when the inner run is strided, some other dim is
  // contiguous in the source, and both are long enough for tiles to pay.
  if (p.stride[L] != 1 && p.stride[L] != 0 && inner >= 8) {
    int k = -1;
    for (int i = L - 1; i >= 0; --i)
      if (p.stride[i] == 1) {
        k = i;
        break;
      }
    if (k >= 0 && p.dims[k] >= 8) {
      const int64_t nkb = (p.dims[k] + kTransposeBlock - 1) / kTransposeBlock;
      const int64_t units = p.size() / p.dims[k] / inner * nkb;
      const int64_t per_unit = kTransposeBlock * inner;
      const int64_t grain = std::max<int64_t>(1, kGrainElems / per_unit);
      const bool avx2 = use_avx2(exec.isa);
      exec.parallel_for(units, grain, [&](int64_t b, int64_t e) {
        detail::copy_tiles(p, k, nkb, src, dst, b, e, avx2);
      });
      return;
    }
  }
  exec.parallel_for(p.size(), kGrainElems,
                    [&](int64_t b, int64_t e) { detail::copy_range(p, src, dst, b, e); });
}

/// take without an axis, elements [0, n): y[j] = x[clamp(ind[j], 0, hi)]
/// (fast/take_avx2.cc; hi < 2^30, so the clamp is exact in int32).
void take_flat_avx2(const int32_t* x, const int32_t* ind, int32_t* y, int64_t n, int32_t hi);

/// A node whose whole work is one CopyPlan from input 0 to output 0, fixed by
/// the node's (static) shapes and attributes in the factory.
class PlanKernel final : public NodeKernel {
 public:
  explicit PlanKernel(const CopyPlan& plan) : plan_(plan_simplify(plan)) {}
  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    run_copy(plan_, in[0]->data.data(), out[0]->data.data(), exec);
  }

 private:
  CopyPlan plan_;
};

/// y = x element for element (reshape, flatten, expand_dims, squeeze): one
/// parallel memcpy.
class FlatCopyKernel final : public NodeKernel {
 public:
  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    parallel_memcpy(out[0]->data.data(), in[0]->data.data(), out[0]->size(), exec);
  }
};

}  // namespace cvm::fast::transform
