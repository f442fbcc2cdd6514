// The index function of the reduce ops sum and max (spec/ops/sum.rst,
// spec/ops/max.rst): the reduced set R, the output shape, the shape of the
// reduced sub-box (whose K elements each output element folds), and the
// input coordinate that an output coordinate o and a position r in the
// sub-box name: the inverse of the page's out(i). reference/reduce_common.h
// calls them with int64_t; proofs/reduce_index.cc calls them with Z3
// expressions and proves that every input coordinate lies in x (sum_b3,
// max_b2), for every R of ranks 1 .. 6, keepdims and exclude.
//
// Shapes and multi-indices are std::vector<T>; R, keepdims and exclude are
// structure (bools), which the lemma enumerates.
#pragma once

#include <cstddef>
#include <vector>

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// R as a mask over the n axes: every axis when no axis is listed (axis = (),
/// whatever exclude says), else the listed axes, or the others with exclude.
inline std::vector<bool> reduce_reduced_axes(const std::vector<bool>& listed, bool exclude) {
  bool any = false;
  for (bool l : listed) any = any || l;
  std::vector<bool> r(listed.size(), true);
  if (any)
    for (size_t a = 0; a < listed.size(); ++a) r[a] = exclude ? !listed[a] : listed[a];
  return r;
}

/// The shape rule: x's shape `d` with d_a replaced by 1 (keepdims) or removed
/// for every a in R; (1) when every axis is removed.
template <class T>
std::vector<T> reduce_out_shape(const std::vector<T>& d, const std::vector<bool>& reduced,
                                bool keepdims) {
  std::vector<T> out;
  for (size_t a = 0; a < d.size(); ++a) {
    if (!reduced[a]) out.push_back(d[a]);
    else if (keepdims) out.push_back(Arith<T>::lit(d[a], 1));
  }
  if (out.empty()) out.push_back(Arith<T>::lit(d.at(0), 1));
  return out;
}

/// The shape of the reduced sub-box: d_a for a in R, in increasing a (empty
/// when R is empty: one element, K = 1).
template <class T>
std::vector<T> reduce_box_shape(const std::vector<T>& d, const std::vector<bool>& reduced) {
  std::vector<T> box;
  for (size_t a = 0; a < d.size(); ++a)
    if (reduced[a]) box.push_back(d[a]);
  return box;
}

/// The input coordinate i with out(i) = o whose reduced coordinates are r
/// (a coordinate of the sub-box): i_a = r_t for the t-th a in R; otherwise
/// o_a (keepdims) or the next entry of o (not keepdims: o lists the kept
/// axes in increasing a).
template <class T>
std::vector<T> reduce_source(const std::vector<T>& o, const std::vector<T>& r,
                             const std::vector<bool>& reduced, bool keepdims) {
  std::vector<T> i;
  size_t next_o = 0, next_r = 0;
  for (size_t a = 0; a < reduced.size(); ++a) {
    if (reduced[a]) i.push_back(r.at(next_r++));
    else if (keepdims) i.push_back(o.at(a));
    else i.push_back(o.at(next_o++));
  }
  return i;
}

}  // namespace cvm::rules
