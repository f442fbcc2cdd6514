// The index function of strided_slice (spec/ops/strided_slice.rst), one axis
// at a time: the clamped begin and end, the non-empty test (strided_slice_c2),
// the output length and the source coordinate of an output coordinate. The
// reference kernel calls them with int64_t; proofs/strided_slice_index.cc
// calls them with Z3 expressions and proves that every source coordinate lies
// in its axis (strided_slice_b3), for every int64 begin, end and non-zero
// stride.
//
// int64 safety: d <= 2^24 and the clamp bring b and e into [-1, d], so every
// difference below is small; the length is computed without forming |s|
// (s = -2^63 is allowed), and s * k is at most |e - b| - 1 in magnitude for
// every k below the length (the lemma), even when |s| is near 2^63.
#pragma once

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// A begin or end entry `v` (any int64) of an axis of extent `d`, made a
/// coordinate: negative counts from the end once (v + d, which cannot wrap:
/// v < 0 and 1 <= d <= 2^24), then clipped to [0, d] for a positive stride `s`,
/// to [-1, d - 1] for a negative one (-1: "up to and including 0").
template <class T>
T strided_slice_clamp(const T& v, const T& d, const T& s) {
  using A = Arith<T>;
  const T zero = A::lit(v, 0);
  const T lo = A::select(s > zero, zero, A::lit(v, -1));
  const T hi = A::select(s > zero, d, d - 1);
  // v + [v < 0] d: the sum is formed only for a negative v (a select would
  // evaluate v + d for every v in int64, which wraps near 2^63).
  const T w = v + A::select(v < zero, d, zero);
  // clip(w, lo, hi), as cvm::clip writes it (lo <= hi).
  return A::select(w < lo, lo, A::select(w > hi, hi, w));
}

/// strided_slice_c2: the range from `b` to `e` is non-empty in the direction
/// of `s` (b < e forwards, e < b backwards).
template <class T>
typename Arith<T>::Bool strided_slice_nonempty(const T& b, const T& e, const T& s) {
  const T zero = Arith<T>::lit(s, 0);
  return (s > zero && b < e) || (s < zero && e < b);
}

/// The output length o = ceil(|e - b| / |s|) = 1 + (|e - b| - 1) div |s| of a
/// non-empty range, without |s|: for s < 0, (|e - b| - 1) div |s| =
/// (1 - |e - b|) div s (both floor divisions; 1 - |e - b| <= 0 and s < 0, so
/// the quotient is the non-negative one and no division wraps).
template <class T>
T strided_slice_length(const T& b, const T& e, const T& s) {
  using A = Arith<T>;
  const T zero = A::lit(s, 0);
  const T dist = A::select(s > zero, e - b, b - e);
  return A::select(s > zero, A::floor_div(dist - 1, s) + 1, A::floor_div(1 - dist, s) + 1);
}

/// The source coordinate of output coordinate `k` (0 <= k < length): b + s k.
/// s * k is a product of two variables (non-linear for the prover, which
/// splits the argument; see proofs/strided_slice_index.cc).
template <class T>
T strided_slice_source(const T& b, const T& s, const T& k) {
  return b + s * k;
}

}  // namespace cvm::rules
