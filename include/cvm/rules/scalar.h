// The integer formulas of the elementwise operators whose bounds the lemmas
// prove (clip, the rounding right shift, the left shift), written once over
// the rules' arithmetic (cvm/rules/arith.h): the reference kernels call them
// with int64_t, the lemmas with Z3 expressions. Shift amounts are plain ints:
// the runtime's come from attributes, and the prover splits them into cases
// so that every query stays linear.
#pragma once

#include <cstdint>

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// clip(v, lo, hi) = min(max(v, lo), hi) for lo <= hi (spec/notation.rst).
template <class T>
T clip(const T& v, const T& lo, const T& hi) {
  return Arith<T>::select(v < lo, lo, Arith<T>::select(hi < v, hi, v));
}

/// cvm_right_shift's first step for shift_bit b in [1, 32]:
/// t = (x >> (b - 1)) + 1, floor division by 2^(b-1) plus the rounding bit.
template <class T>
T rounding_shift_sum(const T& x, int b) {
  return Arith<T>::shr(x, b - 1) + 1;
}

/// cvm_right_shift's second step: T = t >> 1. Together with the first,
/// floor((x + 2^(b-1)) / 2^b): round to nearest, ties toward +infinity.
template <class T>
T rounding_shift_halve(const T& t) {
  return Arith<T>::shr(t, 1);
}

/// cvm_left_shift's product x * 2^s for shift_bit s in [1, 32] (exact: the
/// lemma bounds it by 2^62).
template <class T>
T left_shift(const T& x, int s) {
  return x * Arith<T>::lit(x, int64_t{1} << s);
}

}  // namespace cvm::rules
