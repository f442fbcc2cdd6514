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

/// The dtype names the reduce ops accept for their (ignored) `dtype` attribute.
inline constexpr std::string_view kReduceDtypeNames[] = {
    "float16", "float32", "float64", "uint8", "uint16", "uint32",
    "uint64",  "int8",    "int16",   "int32", "int64"};

inline bool is_reduce_dtype_name(std::string_view s) {
  return std::find(std::begin(kReduceDtypeNames), std::end(kReduceDtypeNames), s) !=
         std::end(kReduceDtypeNames);
}

inline std::string reduce_dtype_list() {
  std::string out;
  for (std::string_view s : kReduceDtypeNames) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

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

/// Reads the reduce attributes; `dtype_label` is the op's constraint that
/// dtype is one of the dtype names (the value itself is ignored).
inline ReduceAttrs parse_reduce_attrs(AttrReader& r, const char* dtype_label) {
  ReduceAttrs a;
  a.axis = r.tuple("axis", {});
  a.keepdims = r.boolean("keepdims", false);
  a.exclude = r.boolean("exclude", false);
  a.dtype = r.string("dtype", "int32");
  CVM_REQUIRE(is_reduce_dtype_name(a.dtype), dtype_label, "dtype \"", a.dtype,
              "\" is not one of ", reduce_dtype_list());
  return a;
}

}  // namespace cvm
