// Helpers shared by the reduce ops sum and max (spec/ops/sum.rst, spec/ops/max.rst).
//
// Only what the two pages share lives here: upstream's attribute struct, the
// axis rules, the index bookkeeping and the loop over the output. Each op
// keeps its own labels (passed in as string literals), its fold and its
// other bound assertions in reference/<op>.cc.
#pragma once

#include <algorithm>
#include <any>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/errors.h"
#include "cvm/intmath.h"
#include "cvm/ops/reduce.h"
#include "cvm/rules/index_inside.h"
#include "cvm/rules/reduce_index.h"
#include "cvm/shape.h"
#include "cvm/tensor.h"

namespace cvm {

/// The reduction of one input shape under (axis, keepdims, exclude).
struct ReducePlan {
  std::vector<bool> reduced;            // per input axis: a in R
  bool keepdims = false;
  bool whole_default = false;           // axis == () and exclude == false
  Shape out_shape;
  int64_t k = 1;                        // K = prod of d_a over a in R
  std::vector<int64_t> reduced_dims;    // the sub-box: d_a for a in R, increasing a
};

/// The axis rules: normalisation (range_label), duplicates (dup_label), the
/// reduced set R and the output shape.
inline ReducePlan reduce_plan(const std::vector<int64_t>& axis, bool keepdims, bool exclude,
                              const Shape& in, const char* range_label, const char* dup_label) {
  const auto n = static_cast<int64_t>(in.size());
  ReducePlan p;
  p.keepdims = keepdims;
  p.whole_default = axis.empty() && !exclude;
  std::vector<bool> listed(in.size(), false);  // none listed: axis = ()
  if (!axis.empty()) {
    std::vector<int64_t> a;
    for (int64_t v : axis) a.push_back(normalize_axis(v, n, range_label, "axis"));
    std::sort(a.begin(), a.end());
    for (size_t i = 1; i < a.size(); ++i)
      CVM_REQUIRE(a[i] != a[i - 1], dup_label, "axis ", a[i],
                  " is listed more than once (after normalising negative axes)");
    for (int64_t v : a) listed[static_cast<size_t>(v)] = true;
  }
  // () reduces every axis, whatever exclude says.
  p.reduced = rules::reduce_reduced_axes(listed, exclude);
  p.out_shape = rules::reduce_out_shape(in, p.reduced, keepdims);
  p.reduced_dims = rules::reduce_box_shape(in, p.reduced);
  for (int64_t d : p.reduced_dims) p.k *= d;
  return p;
}

/// The input index of the j-th term (0 <= j < K, row-major over the sub-box)
/// of output element `o` (its multi-index in p.out_shape): the index function
/// of include/cvm/rules/reduce_index.h, whose lemma (sum_b3, max_b2) puts it
/// inside x.
inline Index reduce_source_index(const Index& o, int64_t j, const ReducePlan& p) {
  return rules::reduce_source(o, unravel(j, p.reduced_dims), p.reduced, p.keepdims);
}

/// x at the input index of term j of output element o (multi-index oi),
/// asserting the op's index-safety label (`label`: sum_b3, max_b2) first.
inline int64_t reduce_term(const Tensor& x, const Index& oi, int64_t o, int64_t j,
                           const ReducePlan& p, const char* label) {
  const Index i = reduce_source_index(oi, j, p);
  CVM_BOUND(i.size() == x.shape.size() && rules::index_inside(i, x.shape), label, "input index ",
            shape_str(i), " of y[", o, "]");
  return x.at(i);
}

/// y[o] = fold(o, oi) for every output element o (flat, row-major; oi its
/// multi-index in p.out_shape), in increasing o. Each value is asserted to
/// have y's precision, the op's output bound `label` (sum_b1, max_b1),
/// before it is stored.
template <class Fold>
void reduce_fill(Tensor& y, const ReducePlan& p, const char* label, Fold fold) {
  for (int64_t o = 0; o < y.size(); ++o) {
    const int64_t acc = fold(o, unravel(o, p.out_shape));
    CVM_BOUND(in_precision(acc, y.precision), label, "y[", o, "] = ", acc);
    y.data[static_cast<size_t>(o)] = static_cast<int32_t>(acc);
  }
}

/// Reads the reduce attributes (a ReduceAttrs: the parse_attrs of sum and
/// max). dtype is a dtype name (the grammar, attr_c3) and otherwise ignored:
/// upstream's reduce ops take their input's type.
inline std::any parse_reduce_attrs(AttrReader& r) {
  ReduceAttrs a;
  a.axis = r.tuple("axis");
  a.keepdims = r.boolean("keepdims");
  a.exclude = r.boolean("exclude");
  a.dtype = r.string("dtype");
  return a;
}

}  // namespace cvm
