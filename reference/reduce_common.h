// Helpers shared by the reduce ops sum and max (spec/ops/sum.rst, spec/ops/max.rst).
//
// Only the axis rules and the index bookkeeping live here; each op keeps its
// own constraint labels (passed in as string literals), its fold, and its
// bound assertions in reference/<op>.cc.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/errors.h"
#include "cvm/ops/reduce.h"
#include "cvm/shape.h"

namespace cvm {

/// The reduction of one input shape under (axis, keepdims, exclude).
struct ReducePlan {
  std::vector<bool> reduced;            // per input axis: a in R
  bool keepdims = false;
  bool whole_default = false;           // axis == () and exclude == false
  Shape out_shape;
  int64_t k = 1;                        // K = prod of d_a over a in R
  std::vector<int64_t> reduced_dims;    // d_a for a in R, increasing a
  std::vector<int64_t> reduced_strides; // input row-major stride of each a in R
  std::vector<int64_t> in_strides;      // input row-major strides
};

/// The axis rules: normalisation (range_label), duplicates (dup_label), the
/// reduced set R and the output shape.
inline ReducePlan reduce_plan(const std::vector<int64_t>& axis, bool keepdims, bool exclude,
                              const Shape& in, const char* range_label, const char* dup_label) {
  const auto n = static_cast<int64_t>(in.size());
  ReducePlan p;
  p.keepdims = keepdims;
  p.whole_default = axis.empty() && !exclude;
  p.reduced.assign(in.size(), false);
  if (axis.empty()) {
    // () reduces every axis, whatever exclude says.
    p.reduced.assign(in.size(), true);
  } else {
    std::vector<int64_t> a;
    for (int64_t v : axis) a.push_back(normalize_axis(v, n, range_label, "axis"));
    std::sort(a.begin(), a.end());
    for (size_t i = 1; i < a.size(); ++i)
      CVM_REQUIRE(a[i] != a[i - 1], dup_label, "axis ", a[i],
                  " is listed more than once (after normalising negative axes)");
    std::vector<bool> listed(in.size(), false);
    for (int64_t v : a) listed[static_cast<size_t>(v)] = true;
    for (size_t i = 0; i < in.size(); ++i) p.reduced[i] = exclude ? !listed[i] : listed[i];
  }
  p.in_strides = row_major_strides(in);
  bool all = true;
  for (size_t i = 0; i < in.size(); ++i) {
    if (p.reduced[i]) {
      p.k *= in[i];
      p.reduced_dims.push_back(in[i]);
      p.reduced_strides.push_back(p.in_strides[i]);
      if (keepdims) p.out_shape.push_back(1);
    } else {
      all = false;
      p.out_shape.push_back(in[i]);
    }
  }
  if (all && !keepdims) p.out_shape = {1};
  return p;
}

/// Flat input offset of the first element (all reduced coordinates 0) of the
/// slice read by output element `o` (flat, row-major in p.out_shape).
inline int64_t reduce_slice_base(int64_t o, const ReducePlan& p) {
  const Index oi = unravel(o, p.out_shape);
  int64_t base = 0;
  size_t next = 0;  // next output coordinate (keepdims = false: kept axes only)
  for (size_t a = 0; a < p.reduced.size(); ++a) {
    if (p.keepdims) {
      if (!p.reduced[a]) base += oi[a] * p.in_strides[a];
    } else if (!p.reduced[a]) {
      base += oi[next++] * p.in_strides[a];
    }
  }
  return base;
}

/// Offset, relative to the slice base, of the j-th element of a slice
/// (0 <= j < K), in row-major order over the reduced axes.
inline int64_t reduce_slice_offset(int64_t j, const ReducePlan& p) {
  const Index ri = unravel(j, p.reduced_dims);
  int64_t off = 0;
  for (size_t t = 0; t < ri.size(); ++t) off += ri[t] * p.reduced_strides[t];
  return off;
}

/// Reads the reduce attributes. dtype is a dtype name (the grammar, attr_c3)
/// and otherwise ignored: upstream's reduce ops take their input's type.
inline ReduceAttrs parse_reduce_attrs(AttrReader& r) {
  ReduceAttrs a;
  a.axis = r.tuple("axis", {});
  a.keepdims = r.boolean("keepdims", false);
  a.exclude = r.boolean("exclude", false);
  a.dtype = r.string("dtype", "int32");
  return a;
}

}  // namespace cvm
