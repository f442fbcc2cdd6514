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

/// Per-output-channel weight scales that one integer multiplier per channel
/// brings to a common scale (docs/quantizer.rst, "Per-channel weight
/// scales"). Channel o's weights are quantized at weight_scale[o] and its
/// accumulator multiplied by multiplier[o]; every product then has the same
/// scale S_x * common: weight_scale[o] = common / multiplier[o] (up to the
/// doubles' last bit), so the multipliers' rounding changes the weight
/// scales, never the output's. The largest channel gets the largest
/// multiplier, R(multiplier_bits), and the per-tensor scale; a channel k
/// times smaller gets a multiplier about k times smaller and a scale up to k
/// times finer (never finer than its own range allows: no weight saturates).
struct ChannelScales {
  std::vector<double> weight_scale;  ///< per output channel
  std::vector<int32_t> multiplier;   ///< per output channel, in [1, R(multiplier_bits)]
  double common = 1;
};

/// `channel_range[o]` = max |w| over output channel o's weights.
ChannelScales plan_channel_scales(const std::vector<double>& channel_range, int weight_precision, int multiplier_bits);

/// max |w| of each of the `channels` equal consecutive blocks of `w` (the
/// weight's output-channel axis is its first).
std::vector<double> channel_ranges(const std::vector<float>& w, int64_t channels);

/// The relative L2 error of w quantized per channel at `scales` (one scale:
/// per tensor) to `precision` and dequantized: ||w - q / S|| / ||w|| (0 for
/// an all-zero w).
double weight_error(const std::vector<float>& w, const std::vector<double>& scales, int precision);

}  // namespace cvm::quant
