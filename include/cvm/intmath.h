// The integer notation of spec/notation.rst, one helper per symbol.
//
// Every helper works on int64_t and is total on the domain stated in its
// comment; none of them can invoke C++ undefined behaviour there. Reference
// kernels compute in int64_t (or wider) with these helpers and narrow to int32
// only after asserting the spec's bound.
#pragma once

#include <cstdint>
#include <limits>

namespace cvm {

/// The least precision a tensor may declare: its values are then all 0.
inline constexpr int kMinPrecision = 1;
/// The greatest precision a tensor may declare: any int32 but -2^31.
inline constexpr int kMaxPrecision = 32;

/// prec_max(p) = 2^(p-1) - 1, the largest magnitude of precision p (notation: R(p)).
/// Defined for 1 <= p <= 63.
constexpr int64_t prec_max(int p) { return (int64_t{1} << (p - 1)) - 1; }

/// True iff |v| <= 2^(p-1) - 1 (notation: v in P(p)). The range is symmetric:
/// -2^(p-1) has no precision p.
constexpr bool in_precision(int64_t v, int p) {
  const int64_t r = prec_max(p);
  return v >= -r && v <= r;
}

/// bits(n): the number of significant bits of n >= 0; bits(0) = 0,
/// bits(1) = 1, bits(2..3) = 2, bits(4..7) = 3, ...
constexpr int bits(uint64_t n) {
  int b = 0;
  while (n != 0) {
    ++b;
    n >>= 1;
  }
  return b;
}

/// Upstream's GetNumberPrecision: bits(n + 1) + 1, for 0 <= n < 2^62.
/// It over-estimates by one when n = 2^k - 1 (n = 127 gives 9); kept
/// bit-for-bit because clip's precision rule is defined with it.
constexpr int number_precision(int64_t n) { return bits(static_cast<uint64_t>(n) + 1) + 1; }

/// Smallest p with |v| <= 2^(p-1) - 1 (the exact precision of a value).
constexpr int precision_of(int64_t v) {
  const uint64_t m = v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  return bits(m) + 1;
}

/// floor(a / b) (notation: a div b), rounding toward minus infinity; b != 0.
/// Not defined for a = INT64_MIN, b = -1.
constexpr int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// a / b truncated toward zero (notation: a quot b); b != 0.
constexpr int64_t trunc_div(int64_t a, int64_t b) { return a / b; }

/// a mod b with the sign of b (floor remainder); b > 0 gives a result in [0, b).
constexpr int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

/// floor(a / 2^k), the arithmetic right shift (notation: a >> k), 0 <= k <= 63.
constexpr int64_t shr_floor(int64_t a, int k) {
  // Right shift of a negative signed value is arithmetic since C++20.
  return a >> k;
}

/// a * 2^k for 0 <= k <= 62 and |a * 2^k| < 2^63 (notation: a << k).
constexpr int64_t shl(int64_t a, int k) { return a * (int64_t{1} << k); }

/// clip(v, lo, hi) = min(max(v, lo), hi) for lo <= hi.
constexpr int64_t clip(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/// clip to the symmetric range of precision p: clip(v, -R(p), R(p)).
constexpr int64_t clip_precision(int64_t v, int p) { return clip(v, -prec_max(p), prec_max(p)); }

/// True when v is representable as int32, i.e. in [-2^31, 2^31 - 1].
constexpr bool fits_int32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

}  // namespace cvm
