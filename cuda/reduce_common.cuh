// Shared driver of the CUDA reduce kernels sum and max (spec/ops/sum.rst,
// spec/ops/max.rst).
//
// Geometry (host, once per node): the reduced set R is the reference's
// (reduce_plan: axis = () reduces every axis whatever exclude says; else the
// listed axes, or all others with exclude). The input shape is then
// coalesced: size-1 dims are dropped (they change neither x's nor y's
// row-major order) and adjacent dims of the same status (kept / reduced) are
// merged. Both steps are cvm/ops/reduce.h's (reduced_axes, reduce_groups),
// shared with fast/. y's row-major order is the row-major order of the kept
// groups (keepdims only inserts 1s), so output o reads the slice at
// kept_offset(o) = sum over kept groups of idx * stride, and the slice's K
// elements are at reduced offsets over the reduced groups.
//
// Launch shapes (chosen in the factory from the static shapes):
//  - Thread:  reduce_thread_kernel, a grid-stride loop over work items
//             (part, o) with o fastest, one thread per item walking its range
//             of slice elements j in [K*p/parts, K*(p+1)/parts) with an
//             odometer (one unravel per item, no division per element). Used
//             when the innermost group is kept (consecutive threads read
//             consecutive addresses) or K is tiny, and there are
//             >= kThreadMinOutputs outputs; K is split into parts (of at
//             least kMinThreadPart elements) when there are fewer than
//             kThreadTarget outputs, so that enough threads run.
//  - Block:   reduce_block_kernel, a grid-stride loop over work units
//             (o, part); the block's threads stride over the part's range of
//             j, then a shared-memory tree reduction.
// With parts == 1 an item (or unit) writes y[o]; otherwise it writes
// partial[p * |y| + o] (scratch allocated by the factory) and
// reduce_combine_kernel folds the parts of each output in part order.
// parts <= K, so every part is non-empty.
// Every output element is written exactly once, by one thread.
//
// Exactness: each output is a fold of exactly the reference's multiset of K
// values; the folds (integer addition without wrap, maximum) are associative
// and commutative, so any order or split gives the reference's value. The
// accumulator width is each Op's (its file header cites the Bounds label).
// Index arithmetic: |x| <= 2^30 (tensor_c3), so K, |y|, j, o and every
// coalesced dim fit uint32 (div/mod there), offsets are summed in int64.
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "cuda/device_common.cuh"
#include "cuda/kernel.h"
#include "cvm/ops/reduce.h"
#include "cvm/shape.h"

namespace cvm::cuda::reduce {

inline constexpr unsigned kBlock = 256;  // a power of two (tree reduction)
/// The thread-per-output kernel needs at least this many outputs.
inline constexpr int64_t kThreadMinOutputs = 2048;
/// Thread kernel: split K while there are fewer than this many outputs.
inline constexpr int64_t kThreadTarget = 65536;
/// Thread kernel: at least this many elements per part when K is split.
inline constexpr int64_t kMinThreadPart = 256;
/// Block kernel: aim for about this many work units (blocks' worth of work).
inline constexpr int64_t kTargetUnits = 2048;
/// Block kernel: at least this many elements per part when K is split.
inline constexpr int64_t kMinPartElems = 1024;

struct Geom {
  int nk = 0;  // kept groups, outermost first
  uint32_t kdims[kMaxRank] = {};
  int64_t kstrides[kMaxRank] = {};
  int nr = 0;  // reduced groups, outermost first
  uint32_t rdims[kMaxRank] = {};
  int64_t rstrides[kMaxRank] = {};
  uint32_t out_size = 1;  // |y|
  uint32_t k = 1;         // K, elements per output
  bool whole_default = false;  // axis == () && !exclude (max's quirk)
  bool inner_kept = false;     // the innermost group is kept
};

inline Geom make_geom(const ReduceAttrs& a, const Shape& shape) {
  Geom g;
  g.whole_default = a.axis.empty() && !a.exclude;
  // The axes were validated (in range, no duplicates) before the factory
  // runs, as reduced_axes requires.
  const ReduceGroups groups = reduce_groups(shape, reduced_axes(a, shape.size()));
  const std::vector<int64_t>& dims = groups.dims;
  const std::vector<bool>& flags = groups.reduced;
  const std::vector<int64_t>& strides = groups.strides;
  int64_t out = 1, k = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (flags[i]) {
      g.rdims[g.nr] = static_cast<uint32_t>(dims[i]);
      g.rstrides[g.nr] = strides[i];
      ++g.nr;
      k *= dims[i];
    } else {
      g.kdims[g.nk] = static_cast<uint32_t>(dims[i]);
      g.kstrides[g.nk] = strides[i];
      ++g.nk;
      out *= dims[i];
    }
  }
  g.out_size = static_cast<uint32_t>(out);
  g.k = static_cast<uint32_t>(k);
  g.inner_kept = !flags.empty() && !flags.back();
  return g;
}

/// Input offset of the first element of output o's slice.
__host__ __device__ inline int64_t kept_offset(const Geom& g, uint32_t o) {
  int64_t off = 0;
  for (int i = g.nk - 1; i >= 0; --i) {
    const uint32_t q = o / g.kdims[i];
    off += static_cast<int64_t>(o - q * g.kdims[i]) * g.kstrides[i];
    o = q;
  }
  return off;
}

/// Offset (relative to the slice) of the slice's j-th element, row-major
/// over the reduced groups.
__host__ __device__ inline int64_t reduced_offset(const Geom& g, uint32_t j) {
  int64_t off = 0;
  for (int i = g.nr - 1; i >= 0; --i) {
    const uint32_t q = j / g.rdims[i];
    off += static_cast<int64_t>(j - q * g.rdims[i]) * g.rstrides[i];
    j = q;
  }
  return off;
}

/// The range [jb, je) of slice elements of part p (of `parts`).
__host__ __device__ inline void part_range(const Geom& g, uint32_t p, uint32_t parts, int64_t* jb,
                                           int64_t* je) {
  *jb = static_cast<int64_t>(g.k) * p / parts;
  *je = static_cast<int64_t>(g.k) * (p + 1) / parts;
}

/// The fold of output o's slice elements j in [jb, je) (not finalized), by
/// one thread: one unravel of jb over the reduced groups, then an odometer.
/// Op: Acc, identity, combine(a, b), finalize(acc, whole_default).
template <typename Op>
__host__ __device__ typename Op::Acc fold_range(const Geom& g, const int32_t* x, uint32_t o,
                                                int64_t jb, int64_t je) {
  const int64_t base = kept_offset(g, o);
  uint32_t idx[kMaxRank] = {};
  int64_t off = 0;
  uint32_t rest = static_cast<uint32_t>(jb);
  for (int i = g.nr - 1; i >= 0; --i) {
    const uint32_t q = rest / g.rdims[i];
    idx[i] = rest - q * g.rdims[i];
    off += static_cast<int64_t>(idx[i]) * g.rstrides[i];
    rest = q;
  }
  typename Op::Acc acc = Op::identity;
  for (int64_t j = jb; j < je; ++j) {
    acc = Op::combine(acc, x[base + off]);
    // Odometer step over the reduced groups (past the last element it wraps
    // to 0, which is never read).
    for (int i = g.nr - 1; i >= 0; --i) {
      off += g.rstrides[i];
      if (++idx[i] < g.rdims[i]) break;
      off -= static_cast<int64_t>(g.rdims[i]) * g.rstrides[i];
      idx[i] = 0;
    }
  }
  return acc;
}

/// One thread per work item (p, o), o fastest.
template <typename Op>
__global__ void reduce_thread_kernel(Geom g, const int32_t* __restrict__ x,
                                     int32_t* __restrict__ y,
                                     typename Op::Acc* __restrict__ partial, uint32_t parts) {
  const int64_t items = static_cast<int64_t>(g.out_size) * parts;
  for (int64_t w = grid_start(); w < items; w += grid_stride()) {
    const auto p = static_cast<uint32_t>(w / g.out_size);
    const auto o = static_cast<uint32_t>(w % g.out_size);
    int64_t jb = 0, je = 0;
    part_range(g, p, parts, &jb, &je);
    const typename Op::Acc acc = fold_range<Op>(g, x, o, jb, je);
    if (parts == 1) {
      y[o] = Op::finalize(acc, g.whole_default);
    } else {
      partial[w] = acc;  // w = p * |y| + o
    }
  }
}

/// Folds the kBlock values of `v` (one per thread) into the value returned
/// to thread 0 (other threads get an unspecified value). Every thread of the
/// block must call it.
template <typename Op>
__device__ typename Op::Acc block_fold(typename Op::Acc v) {
  __shared__ typename Op::Acc buf[kBlock];
  __syncthreads();  // buf may still be read by the previous call
  buf[threadIdx.x] = v;
  __syncthreads();
  for (unsigned s = kBlock / 2; s > 0; s /= 2) {
    if (threadIdx.x < s) buf[threadIdx.x] = Op::combine(buf[threadIdx.x], buf[threadIdx.x + s]);
    __syncthreads();
  }
  return buf[0];
}

/// Work units (o, p) for u < |y| * parts; launched with kBlock threads.
template <typename Op>
__global__ void reduce_block_kernel(Geom g, const int32_t* __restrict__ x,
                                    int32_t* __restrict__ y, typename Op::Acc* __restrict__ partial,
                                    uint32_t parts) {
  const int64_t units = static_cast<int64_t>(g.out_size) * parts;
  for (int64_t u = blockIdx.x; u < units; u += gridDim.x) {
    const auto o = static_cast<uint32_t>(u / parts);
    const auto p = static_cast<uint32_t>(u % parts);
    int64_t jb = 0, je = 0;
    part_range(g, p, parts, &jb, &je);
    const int64_t base = kept_offset(g, o);
    typename Op::Acc acc = Op::identity;
    for (int64_t j = jb + threadIdx.x; j < je; j += blockDim.x)
      acc = Op::combine(acc, x[base + reduced_offset(g, static_cast<uint32_t>(j))]);
    acc = block_fold<Op>(acc);
    if (threadIdx.x == 0) {
      if (parts == 1) {
        y[o] = Op::finalize(acc, g.whole_default);
      } else {
        partial[static_cast<int64_t>(p) * g.out_size + o] = acc;
      }
    }
  }
}

/// y[o] = the parts of output o folded in part order.
template <typename Op>
__global__ void reduce_combine_kernel(Geom g, const typename Op::Acc* __restrict__ partial,
                                      int32_t* __restrict__ y, uint32_t parts) {
  for (int64_t o = grid_start(); o < g.out_size; o += grid_stride()) {
    typename Op::Acc acc = Op::identity;
    for (uint32_t p = 0; p < parts; ++p)
      acc = Op::combine(acc, partial[static_cast<int64_t>(p) * g.out_size + o]);
    y[o] = Op::finalize(acc, g.whole_default);
  }
}

/// A reduce node: geometry, launch shape and scratch fixed in the factory.
template <typename Op>
class ReduceKernel final : public NodeKernel {
 public:
  ReduceKernel(const NodeSpec& spec, const char* name)
      : geom_(make_geom(std::any_cast<const ReduceAttrs&>(spec.attrs), spec.inputs[0].shape)),
        name_(name) {
    const int64_t out = geom_.out_size, k = geom_.k;
    thread_ = out >= kThreadMinOutputs && (geom_.inner_kept || k <= 16);
    int64_t parts = 1;
    if (thread_) {
      const int64_t want = (kThreadTarget + out - 1) / out;
      parts = std::max<int64_t>(1, std::min(want, k / kMinThreadPart));
    } else {
      const int64_t want = (kTargetUnits + out - 1) / out;
      parts = std::max<int64_t>(1, std::min(want, k / kMinPartElems));
    }
    parts_ = static_cast<uint32_t>(parts);
    if (parts_ > 1)
      scratch_ = DeviceBuffer(static_cast<size_t>(parts_) * static_cast<size_t>(out) *
                              sizeof(typename Op::Acc));
  }
  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const int32_t* x = in[0].data;
    int32_t* y = out[0].data;
    auto* partial = scratch_.as<typename Op::Acc>();
    const int64_t units = static_cast<int64_t>(geom_.out_size) * parts_;
    if (thread_) {
      reduce_thread_kernel<Op><<<grid_for(units, kBlock), kBlock, 0, stream>>>(geom_, x, y, partial,
                                                                               parts_);
    } else {
      const unsigned grid = static_cast<unsigned>(std::min<int64_t>(units, 524280));
      reduce_block_kernel<Op><<<grid, kBlock, 0, stream>>>(geom_, x, y, partial, parts_);
    }
    check_launch(name_);
    if (parts_ > 1) {
      reduce_combine_kernel<Op><<<grid_for(geom_.out_size, kBlock), kBlock, 0, stream>>>(
          geom_, partial, y, parts_);
      check_launch(name_);
    }
  }

 private:
  Geom geom_;
  const char* name_;
  bool thread_ = false;
  uint32_t parts_ = 1;
  DeviceBuffer scratch_;
};

}  // namespace cvm::cuda::reduce
