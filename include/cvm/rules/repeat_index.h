// repeat's shape and index functions (spec/ops/repeat.rst): with the
// normalized axis a and r = repeats,
//
//   shape(y) = (d_0, ..., d_a r, ..., d_{N-1}),
//   y[j] = x[j_0, ..., j_a div r, ..., j_{N-1}].
//
// The rank and the axis are structural: the prover (proofs/repeat_index.cc)
// instantiates these per (N, a) with symbolic dims, r and coordinates.
#pragma once

#include <cstddef>
#include <vector>

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// shape(x) with dim a multiplied by r (< 2^24 * 2^31 = 2^55, int64).
template <class T>
std::vector<T> repeat_shape(const std::vector<T>& d, size_t a, const T& r) {
  std::vector<T> out = d;
  out[a] = d[a] * r;
  return out;
}

/// The input index of output index j: j with j_a replaced by j_a div r
/// (floor division, r >= 1: repeat_c1).
template <class T>
std::vector<T> repeat_source(const std::vector<T>& j, size_t a, const T& r) {
  std::vector<T> e = j;
  e[a] = Arith<T>::floor_div(j[a], r);
  return e;
}

}  // namespace cvm::rules
