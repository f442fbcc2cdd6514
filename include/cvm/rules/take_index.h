// The index function of take (spec/ops/take.rst): the normalised axis, the
// output shape, the coordinate of `indices` an output coordinate reads, the
// clamp of the index value read there, and the source coordinate in x. The
// reference kernel (and, for the shape, the shape rule) calls them with
// int64_t; proofs/take_index.cc calls them with Z3 expressions and proves that
// every coordinate they compute lies in its tensor (take_b3), for every index
// value of its precision: the clamp, not the data, makes the read safe.
//
// Shapes and multi-indices are std::vector<T>, the axis a and the rank of
// `indices` are plain ints: they are structure, which the lemma enumerates.
#pragma once

#include <cstddef>
#include <vector>

#include "cvm/rules/arith.h"
#include "cvm/rules/scalar.h"

namespace cvm::rules {

/// The clamped index clip(i, 0, n - 1) of an index value `i` (any int32)
/// into a range of n >= 1 positions (d_a, or |x| without an axis). A
/// negative index does not count from the end (the page's Quirk).
template <class T>
T take_clip(const T& i, const T& n) {
  return clip(i, Arith<T>::lit(i, 0), n - 1);
}

/// take_c1's normalisation of an axis in [-n, n - 1] to [0, n - 1].
constexpr int take_axis(int axis, int n) { return axis < 0 ? axis + n : axis; }

/// The shape rule with axis a (normalised): (d_0 .. d_{a-1}, q_0 .. q_{m-1},
/// d_{a+1} .. d_{n-1}) for x of shape d and indices of shape q.
template <class T>
std::vector<T> take_shape(const std::vector<T>& d, const std::vector<T>& q, int a) {
  const auto ua = static_cast<size_t>(a);
  std::vector<T> out(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(ua));
  out.insert(out.end(), q.begin(), q.end());
  out.insert(out.end(), d.begin() + static_cast<std::ptrdiff_t>(ua + 1), d.end());
  return out;
}

/// The coordinate of `indices` (rank m) that output coordinate `j` reads:
/// j_a .. j_{a+m-1}, the middle part of j = (pre, k, post).
template <class T>
std::vector<T> take_indices_coord(const std::vector<T>& j, int a, int m) {
  const auto ua = static_cast<size_t>(a);
  return std::vector<T>(j.begin() + static_cast<std::ptrdiff_t>(ua),
                        j.begin() + static_cast<std::ptrdiff_t>(ua + static_cast<size_t>(m)));
}

/// The coordinate of x that output coordinate j = (pre, k, post) copies, with
/// c = take_clip(indices[k], d_a): (pre, c, post).
template <class T>
std::vector<T> take_source(const std::vector<T>& j, int a, int m, const T& c) {
  const auto ua = static_cast<size_t>(a);
  std::vector<T> src(j.begin(), j.begin() + static_cast<std::ptrdiff_t>(ua));
  src.push_back(c);
  src.insert(src.end(), j.begin() + static_cast<std::ptrdiff_t>(ua + static_cast<size_t>(m)),
             j.end());
  return src;
}

}  // namespace cvm::rules
