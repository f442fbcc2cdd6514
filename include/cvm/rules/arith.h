// The arithmetic the rules are written in (include/cvm/rules/*.h).
//
// A rule -- a precision rule, an integer formula, an index function -- is
// written once, as a function template over a number type T, and used twice:
// the runtime instantiates it with int64_t (shape inference, the reference
// kernels), the prover (proofs/z3_arith.h) with Z3 integer expressions, so
// that the lemmas prove the runtime's own functions and not a retyping of
// them. A rule may use +, -, * by a constant, comparisons, && and || on T
// directly; everything else goes through Arith<T>, which each instantiation
// supplies:
//   Bool                     the type of a comparison (bool, or a Z3 boolean)
//   select(c, a, b)          c ? a : b
//   max(a, b), min(a, b)
//   lit(like, v)             the constant v, of the same kind as `like`
//   floor_div(a, b)          floor(a / b), b != 0 (the notation's a div b)
//   floor_mod(a, b)          a - b floor(a / b)
//   shr(a, k)                floor(a / 2^k) for a constant 0 <= k <= 62
#pragma once

#include <cstdint>

#include "cvm/intmath.h"

namespace cvm::rules {

/// The operations a rule needs beyond the built-in operators; specialised
/// for int64_t here and for z3::expr in proofs/z3_arith.h.
template <class T>
struct Arith;

/// The runtime's instantiations: exact integer arithmetic in I (int for
/// precisions, int64_t for values, sizes and indices). The callers keep every
/// intermediate inside I (the bounds the lemmas prove).
template <class I>
struct IntegerArith {
  using Bool = bool;
  static constexpr I select(bool c, I a, I b) { return c ? a : b; }
  static constexpr I max(I a, I b) { return a < b ? b : a; }
  static constexpr I min(I a, I b) { return b < a ? b : a; }
  static constexpr I lit(I /*like*/, int64_t v) { return static_cast<I>(v); }
  static constexpr I floor_div(I a, I b) { return static_cast<I>(cvm::floor_div(a, b)); }
  static constexpr I floor_mod(I a, I b) { return static_cast<I>(cvm::floor_mod(a, b)); }
  static constexpr I shr(I a, int k) { return static_cast<I>(shr_floor(a, k)); }
};

template <>
struct Arith<int64_t> : IntegerArith<int64_t> {};
template <>
struct Arith<int> : IntegerArith<int> {};

}  // namespace cvm::rules
