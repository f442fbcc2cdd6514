#include "tools/quantize/scale.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "cvm/errors.h"
#include "cvm/intmath.h"

namespace cvm::quant {

double Requant::effective() const {
  return static_cast<double>(multiplier) * std::ldexp(1.0, -(pre_shift + shift));
}

std::string Requant::describe() const {
  if (multiplier == 1 && pre_shift == 0 && shift == 0) return "identity";
  std::string s;
  if (pre_shift > 0) s += ">> " + std::to_string(pre_shift) + ", ";
  if (multiplier != 1) s += "x " + std::to_string(multiplier) + ", ";
  s += ">> " + std::to_string(shift);
  return s;
}

Requant plan_requant(double ratio, int in_precision, double min_efficiency, int multiplier_bits) {
  if (!(ratio > 0.0 && ratio <= 1.0)) throw_runtime("quantize", "plan_requant: ratio outside (0, 1]");
  if (ratio == 1.0) return {};
  // The pure shift: the smallest k with 2^-k <= ratio (never saturating more
  // than the target scale would).
  int k = 0;
  while (std::ldexp(1.0, -k) > ratio) ++k;
  if (k <= 32 && std::ldexp(1.0, -k) >= min_efficiency * ratio) return Requant{0, 1, k};
  // The multiplier: ratio = M * 2^-E with M in [2^(b-2), 2^(b-1) - 1], for the
  // largest b <= multiplier_bits whose product fits 32 bits after a pre-shift
  // that still leaves a final shift of at least 1.
  for (int b = std::min(multiplier_bits, 31); b >= 2; --b) {
    int e = 0;
    while (std::ldexp(ratio, e) < std::ldexp(1.0, b - 2)) ++e;  // M >= 2^(b-2)
    auto m = static_cast<int64_t>(std::llround(std::ldexp(ratio, e)));
    if (m > prec_max(b)) {  // rounding reached 2^(b-1): one bit less of exponent
      --e;
      m = static_cast<int64_t>(std::llround(std::ldexp(ratio, e)));
    }
    const int pre = std::max(0, in_precision + b - 32);
    if (e - pre >= 1 && e - pre <= 32 && pre <= 32 && m >= 1 && m <= prec_max(b)) return Requant{pre, m, e - pre};
  }
  // Ratios this small round every input to zero; the shift is as good.
  return Requant{0, 1, std::min(k, 32)};
}

double scale_for_range(double range, int precision) {
  if (!(range > 0.0)) return 1.0;
  return static_cast<double>(prec_max(precision)) / range;
}

int32_t quantize_value(float x, double scale, int precision) {
  const double v = std::round(static_cast<double>(x) * scale);  // ties away from zero
  const auto r = static_cast<double>(prec_max(precision));
  return static_cast<int32_t>(std::clamp(v, -r, r));
}

std::vector<int32_t> quantize_values(const std::vector<float>& xs, double scale, int precision) {
  std::vector<int32_t> out(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) out[i] = quantize_value(xs[i], scale, precision);
  return out;
}

int precision_of_values(const std::vector<int32_t>& values) {
  int64_t m = 0;
  for (int32_t v : values) m = std::max<int64_t>(m, v < 0 ? -int64_t{v} : v);
  return std::max(1, precision_of(m));
}

ChannelScales plan_channel_scales(const std::vector<double>& channel_range, int weight_precision, int multiplier_bits) {
  double top = 0;
  for (double r : channel_range) top = std::max(top, r);
  const auto m_max = static_cast<double>(prec_max(multiplier_bits));
  ChannelScales c;
  // The largest channel keeps the per-tensor scale at multiplier R(bits).
  c.common = scale_for_range(top, weight_precision) * m_max;
  for (double r : channel_range) {
    // The smallest multiplier whose scale common / m does not exceed the
    // channel's own R(p) / r (so its weights do not saturate); an all-zero
    // channel takes the per-tensor scale.
    double m = r > 0 ? std::ceil(m_max * r / top) : m_max;
    m = std::clamp(m, 1.0, m_max);
    // ceil of a product rounded in doubles may land one below: step up until
    // the scale is within the channel's range.
    while (m < m_max && r > 0 && c.common / m * r > static_cast<double>(prec_max(weight_precision))) m += 1;
    c.multiplier.push_back(static_cast<int32_t>(m));
    c.weight_scale.push_back(c.common / m);
  }
  return c;
}

std::vector<double> channel_ranges(const std::vector<float>& w, int64_t channels) {
  if (channels <= 0 || w.size() % static_cast<size_t>(channels) != 0)
    throw_runtime("quantize", "channel_ranges: the weight does not split into equal channels");
  const size_t per = w.size() / static_cast<size_t>(channels);
  std::vector<double> r(static_cast<size_t>(channels), 0.0);
  for (size_t i = 0; i < w.size(); ++i) r[i / per] = std::max(r[i / per], static_cast<double>(std::fabs(w[i])));
  return r;
}

double weight_error(const std::vector<float>& w, const std::vector<double>& scales, int precision) {
  if (scales.empty() || w.size() % scales.size() != 0)
    throw_runtime("quantize", "weight_error: the weight does not split into the scales' channels");
  const size_t per = w.size() / scales.size();
  double err = 0, norm = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    const double s = scales[i / per];
    const double d = static_cast<double>(w[i]) - quantize_value(w[i], s, precision) / s;
    err += d * d;
    norm += static_cast<double>(w[i]) * w[i];
  }
  return norm > 0 ? std::sqrt(err / norm) : 0.0;
}

}  // namespace cvm::quant
