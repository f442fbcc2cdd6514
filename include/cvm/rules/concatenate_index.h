// concatenate's index function (spec/ops/concatenate.rst): with s_k the
// length of input x_k along the axis and o_k = s_0 + ... + s_{k-1} its
// offset, output coordinate d_a (along the axis) reads input k, the one with
// o_k <= d_a < o_k + s_k, at coordinate d_a - o_k.
//
// The number of inputs m is unbounded, so the search is a fold of one step
// over the inputs, and the prover (proofs/concatenate_index.cc) proves the
// step once for a symbolic input number i rather than enumerating m: the
// cursor after scanning inputs 0 .. i-1 holds the last input k scanned with
// o_k <= d_a (its offset and length) and the offset o_i of the next input.
// Every dim is at least 1 (tensor_c2), so the offsets increase and that k is
// the page's unique one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// The search state after scanning inputs 0 .. i-1.
template <class T>
struct ConcatCursor {
  T input;   ///< k: the last input scanned with o_k <= d_a
  T start;   ///< o_k
  T length;  ///< s_k
  T end;     ///< o_i: the offset of the next input
};

/// The cursor after scanning input 0 (o_0 = 0 <= d_a).
template <class T>
ConcatCursor<T> concatenate_first(const T& s_0) {
  const T zero = Arith<T>::lit(s_0, 0);
  return {zero, zero, s_0, s_0};
}

/// Scans input i (offset c.end, length s_i): it becomes the candidate when
/// d_a lies at or beyond its offset.
template <class T>
ConcatCursor<T> concatenate_step(const ConcatCursor<T>& c, const T& i, const T& s_i, const T& d_a) {
  const typename Arith<T>::Bool reached = d_a >= c.end;
  return {Arith<T>::select(reached, i, c.input), Arith<T>::select(reached, c.end, c.start),
          Arith<T>::select(reached, s_i, c.length), c.end + s_i};
}

/// Which input output coordinate d_a reads, and where along the axis.
template <class T>
struct ConcatSource {
  T input;       ///< k
  T coordinate;  ///< d_a - o_k
};

/// The input and coordinate of output coordinate d_a, for the axis lengths
/// s = (s_0, ..., s_{m-1}), m >= 1.
template <class T>
ConcatSource<T> concatenate_source(const T& d_a, const std::vector<T>& s) {
  ConcatCursor<T> c = concatenate_first(s[0]);
  for (size_t i = 1; i < s.size(); ++i)
    c = concatenate_step(c, Arith<T>::lit(d_a, static_cast<int64_t>(i)), s[i], d_a);
  return {c.input, d_a - c.start};
}

}  // namespace cvm::rules
