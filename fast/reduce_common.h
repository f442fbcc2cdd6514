// Shared driver of the fast reduce kernels sum and max (spec/ops/sum.rst,
// spec/ops/max.rst).
//
// Geometry: the input shape is simplified once, in the factory: size-1 dims
// are dropped (they do not change the row-major order of x or of y) and
// adjacent dims with the same reduced/kept status are merged. What remains is
// an alternation of kept and reduced groups, handled as one of
//  - Copy:          nothing reduced (K = 1): y is x;
//  - All:           nothing kept: one output, x split into fixed parts whose
//                   exact partial results are combined in part order;
//  - InnerKept:     the innermost group is kept (I contiguous values): each
//                   output row of I values accumulates whole input row
//                   segments (a contiguous, vectorisable loop over a tile of
//                   at most kTile accumulators); the reduced group right
//                   before it (K1 rows of stride I) is the inner reduction
//                   loop, the other reduced groups an odometer. Work items
//                   are (outer output row, tile[, part of K1]); when there
//                   are too few items for the threads, K1 is split into
//                   parts whose exact partial results are combined in order;
//  - InnerReduced:  the innermost group is reduced (Kin contiguous values):
//                   each output is a fold of contiguous segments of Kin
//                   values (vectorisable reduction loops), the other reduced
//                   groups an odometer; threads split the outputs.
// No per-element index arithmetic: offsets advance with odometers per row or
// per segment. Every output element is written by exactly one work item (or
// by the combine step), so the result does not depend on the thread count.
//
// Accumulators are int32 (the Op policy of each kernel says why that is
// exact); the fold of an output is over the same multiset of values as the
// reference's, and both folds (integer addition without wrap, maximum) are
// associative and commutative, so any order gives the reference's value.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "cvm/ops/reduce.h"
#include "cvm/shape.h"
#include "cvm/tensor.h"
#include "fast/kernel.h"

namespace cvm::fast::reduce {

/// Work (input elements) a parallel chunk should at least have.
inline constexpr int64_t kChunkWork = 16384;
/// Width of an accumulator tile (int32 values) in InnerKept.
inline constexpr int64_t kTile = 1024;

enum class Kind { Copy, All, InnerKept, InnerReduced };

struct Geom {
  Kind kind = Kind::Copy;
  bool whole_default = false;  // axis == () && !exclude (max's quirk)
  int64_t total = 1;           // |x|
  int64_t out_size = 1;        // |y|
  // InnerKept: I = inner kept size, near = K1 (reduced group of stride I).
  // InnerReduced: near = Kin (innermost reduced group, stride 1), I = 1.
  int64_t inner = 1;
  int64_t near = 1;
  int64_t near_stride = 1;
  // Kept groups other than the innermost kept one (InnerKept) / all kept
  // groups (InnerReduced), outermost first: output rows enumerate them
  // row-major.
  std::vector<int64_t> kept_dims, kept_strides;
  // Reduced groups other than `near`, outermost first.
  std::vector<int64_t> rest_dims, rest_strides;
  int64_t rest_count = 1;      // product of rest_dims
  int64_t outer = 1;           // product of kept_dims
};

inline Geom make_geom(const ReduceAttrs& a, const Shape& shape) {
  Geom g;
  g.whole_default = a.axis.empty() && !a.exclude;
  for (int64_t d : shape) g.total *= d;
  // Coalesce (cvm/ops/reduce.h): drop size-1 dims, merge neighbours of the
  // same status.
  const ReduceGroups groups = reduce_groups(shape, reduced_axes(a, shape.size()));
  const std::vector<int64_t>& dims = groups.dims;
  const std::vector<bool>& flags = groups.reduced;
  const std::vector<int64_t>& strides = groups.strides;
  bool any_red = false, any_kept = false;
  for (bool f : flags) (f ? any_red : any_kept) = true;
  for (size_t i = 0; i < dims.size(); ++i)
    if (!flags[i]) g.out_size *= dims[i];
  if (g.whole_default || !any_kept) {
    g.kind = Kind::All;
    return g;
  }
  if (!any_red) {
    g.kind = Kind::Copy;
    return g;
  }
  const size_t last = dims.size() - 1;
  size_t near_idx = last;
  if (!flags[last]) {
    g.kind = Kind::InnerKept;
    g.inner = dims[last];
    near_idx = last - 1;  // groups alternate, so this one is reduced
  } else {
    g.kind = Kind::InnerReduced;
  }
  g.near = dims[near_idx];
  g.near_stride = strides[near_idx];
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i == near_idx || (g.kind == Kind::InnerKept && i == last)) continue;
    if (flags[i]) {
      g.rest_dims.push_back(dims[i]);
      g.rest_strides.push_back(strides[i]);
      g.rest_count *= dims[i];
    } else {
      g.kept_dims.push_back(dims[i]);
      g.kept_strides.push_back(strides[i]);
      g.outer *= dims[i];
    }
  }
  return g;
}

/// Row-major walk over (dims, strides): `off` is the offset of the current
/// multi-index; next() moves to the following one (carry per dimension).
class Odometer {
 public:
  Odometer(const std::vector<int64_t>& dims, const std::vector<int64_t>& strides, int64_t start)
      : dims_(dims), strides_(strides), idx_(dims.size(), 0) {
    for (size_t i = dims.size(); i-- > 0;) {
      idx_[i] = start % dims[i];
      start /= dims[i];
      off += idx_[i] * strides[i];
    }
  }
  void next() {
    for (size_t i = dims_.size(); i-- > 0;) {
      off += strides_[i];
      if (++idx_[i] < dims_[i]) return;
      off -= dims_[i] * strides_[i];
      idx_[i] = 0;
    }
  }
  int64_t off = 0;

 private:
  const std::vector<int64_t>& dims_;
  const std::vector<int64_t>& strides_;
  std::vector<int64_t> idx_;
};

/// Offset of the row-major multi-index number `flat` over (dims, strides).
inline int64_t offset_of(const std::vector<int64_t>& dims, const std::vector<int64_t>& strides,
                         int64_t flat) {
  int64_t off = 0;
  for (size_t i = dims.size(); i-- > 0;) {
    off += flat % dims[i] * strides[i];
    flat /= dims[i];
  }
  return off;
}

/// The hot loops of one fold. `Op` provides identity, combine(a, b),
/// row(acc, src, n) (acc[i] = combine(acc[i], src[i])) and
/// segment(acc, src, n) (acc folded with src[0..n)).
template <typename Op>
void run(const Geom& g, const int32_t* x, int32_t* y, const Exec& exec) {
  const int threads = exec.threads();
  switch (g.kind) {
    case Kind::Copy: {
      const int64_t grain = 1 << 16;
      exec.parallel_for(g.total, grain, [&](int64_t b, int64_t e) {
        std::memcpy(y + b, x + b, static_cast<size_t>(e - b) * sizeof(int32_t));
      });
      return;
    }
    case Kind::All: {
      // Fixed parts (depending on |x| only); exact partials combined in order.
      const int64_t parts = std::clamp<int64_t>(g.total / kChunkWork, 1, 64);
      std::vector<int32_t> partial(static_cast<size_t>(parts), Op::identity);
      exec.parallel_for(parts, 1, [&](int64_t pb, int64_t pe) {
        for (int64_t p = pb; p < pe; ++p) {
          const int64_t b = g.total * p / parts, e = g.total * (p + 1) / parts;
          partial[static_cast<size_t>(p)] = Op::segment(Op::identity, x + b, e - b);
        }
      });
      int32_t acc = Op::identity;
      for (int32_t v : partial) acc = Op::combine(acc, v);
      y[0] = g.whole_default ? Op::whole_default(acc) : acc;
      return;
    }
    case Kind::InnerKept: {
      const int64_t I = g.inner;
      const int64_t tiles = (I + kTile - 1) / kTile;
      const int64_t items = g.outer * tiles;
      const int64_t work_per_item = g.total / items;
      // Split K1 when there are too few items to keep the threads busy.
      int64_t parts = 1;
      if (threads > 1 && items < 4 * threads && work_per_item >= 2 * kChunkWork)
        parts = std::min<int64_t>({g.near, (4 * threads + items - 1) / items,
                                   work_per_item / kChunkWork});
      std::vector<int32_t> partial;
      if (parts > 1) partial.assign(static_cast<size_t>(parts * g.out_size), Op::identity);
      const int64_t grain = std::max<int64_t>(1, kChunkWork / std::max<int64_t>(1, work_per_item / parts));
      exec.parallel_for(items * parts, grain, [&](int64_t wb, int64_t we) {
        int32_t acc[kTile];
        // A full cycle of rest_count steps brings the odometer back to 0.
        Odometer rest(g.rest_dims, g.rest_strides, 0);
        for (int64_t w = wb; w < we; ++w) {
          const int64_t p = w % parts;
          const int64_t item = w / parts;
          const int64_t o = item / tiles;
          const int64_t t0 = (item % tiles) * kTile;
          const int64_t len = std::min(kTile, I - t0);
          const int64_t j0 = g.near * p / parts, j1 = g.near * (p + 1) / parts;
          std::fill(acc, acc + len, Op::identity);
          const int64_t kept_off = offset_of(g.kept_dims, g.kept_strides, o);
          for (int64_t r = 0; r < g.rest_count; ++r, rest.next()) {
            const int32_t* src = x + kept_off + rest.off + t0;
            for (int64_t j = j0; j < j1; ++j) Op::row(acc, src + j * g.near_stride, len);
          }
          int32_t* dst = parts > 1 ? partial.data() + p * g.out_size : y;
          std::memcpy(dst + o * I + t0, acc, static_cast<size_t>(len) * sizeof(int32_t));
        }
      });
      if (parts > 1) {
        exec.parallel_for(g.out_size, 1 << 14, [&](int64_t b, int64_t e) {
          for (int64_t i = b; i < e; ++i) {
            int32_t acc = Op::identity;
            for (int64_t p = 0; p < parts; ++p) acc = Op::combine(acc, partial[static_cast<size_t>(p * g.out_size + i)]);
            y[i] = acc;
          }
        });
      }
      return;
    }
    case Kind::InnerReduced: {
      const int64_t K = g.total / g.out_size;
      const int64_t grain = std::max<int64_t>(1, kChunkWork / K);
      exec.parallel_for(g.out_size, grain, [&](int64_t ob, int64_t oe) {
        Odometer kept(g.kept_dims, g.kept_strides, ob);
        if (g.rest_count == 1) {
          for (int64_t o = ob; o < oe; ++o, kept.next())
            y[o] = Op::segment(Op::identity, x + kept.off, g.near);
          return;
        }
        // A full cycle of rest_count steps brings the odometer back to 0.
        Odometer rest(g.rest_dims, g.rest_strides, 0);
        for (int64_t o = ob; o < oe; ++o, kept.next()) {
          int32_t acc = Op::identity;
          for (int64_t r = 0; r < g.rest_count; ++r, rest.next())
            acc = Op::segment(acc, x + kept.off + rest.off, g.near);
          y[o] = acc;
        }
      });
      return;
    }
  }
}

/// A reduce kernel: the geometry is fixed by the node's input type.
template <typename Op>
class ReduceKernel final : public NodeKernel {
 public:
  explicit ReduceKernel(const NodeSpec& spec)
      : geom_(make_geom(std::any_cast<const ReduceAttrs&>(spec.attrs), spec.inputs[0].shape)) {}
  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    reduce::run<Op>(geom_, in[0]->data.data(), out[0]->data.data(), exec);
  }

 private:
  Geom geom_;
};

}  // namespace cvm::fast::reduce
