// Scale selection and requantization planning: the quantizer's arithmetic.
//
// A quantized tensor q represents the float tensor x ~ q / S (S its scale).
// Scales are chosen from calibrated ranges (max |x|): S = R(p) / range, so the
// calibrated range maps onto the integers of precision p. Changing a tensor's
// scale by a factor r <= 1 is done in integers with CVM ops only:
//
//   shift only:   q' = cvm_right_shift(q, k)                r ~ 2^-k
//   multiplier:   q' = cvm_right_shift(broadcast_mul(cvm_right_shift(q, pre), M), k)
//                                                           r ~ M * 2^-(pre + k)
//
// cvm_right_shift rounds to nearest (ties up) and saturates to its precision
// attribute. The pre-shift exists only to keep the product's precision (the
// input's precision + the multiplier's) within 32 bits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cvm::quant {

/// How to multiply integers by a ratio r in (0, 1].
struct Requant {
  int pre_shift = 0;       ///< cvm_right_shift before the multiply (0: none)
  int64_t multiplier = 1;  ///< broadcast_mul by this constant (1: none)
  int shift = 0;           ///< the final cvm_right_shift (0: none)
  /// The ratio the plan really applies: multiplier * 2^-(pre_shift + shift).
  double effective() const;
  /// "x 1523 >> 17", ">> 5" or "identity" for reports.
  std::string describe() const;
};

/// Plans q' ~ q * ratio for an input of declared precision `in_precision`.
/// A pure shift is used when its effective ratio is at least
/// `min_efficiency` * ratio (1.0: only when ratio is an exact power of two);
/// otherwise a multiplier of at most `multiplier_bits` bits (precision) with
/// the product kept within 32 bits. ratio must be in (0, 1].
Requant plan_requant(double ratio, int in_precision, double min_efficiency, int multiplier_bits);

/// R(p) / range: the scale mapping [-range, range] onto precision p. A zero
/// range (an all-zero tensor) gets scale 1.
double scale_for_range(double range, int precision);

/// round(x * scale), ties away from zero, saturated to +-R(precision).
int32_t quantize_value(float x, double scale, int precision);
std::vector<int32_t> quantize_values(const std::vector<float>& xs, double scale, int precision);

/// The smallest precision holding every value (at least 1).
int precision_of_values(const std::vector<int32_t>& values);

}  // namespace cvm::quant
