#include "tools/quantize/calibrate.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "cvm/errors.h"
#include "tools/quantize/float_exec.h"

namespace cvm::quant {
namespace {

constexpr int kBins = 4096;

void check_data(const FloatGraph& g, const FTensor& data) {
  const Shape& in = g.input_shape;
  if (data.shape.size() != in.size() || !std::equal(in.begin() + 1, in.end(), data.shape.begin() + 1))
    throw_logic("quantize", "the data's sample shape does not match the model input");
  if (data.shape[0] < in[0]) throw_logic("quantize", "the data holds fewer samples than one model batch");
}

// Runs every whole batch of `data` through the model, calling `observe`.
void for_each_batch(const FloatGraph& g, const FTensor& data, const FloatObserver& observe,
                    const Progress& progress, int64_t pass, int64_t passes) {
  const int64_t b = g.input_shape[0], n = data.shape[0] / b * b;
  for (int64_t i = 0; i < n; i += b) {
    run_float(g, slice_samples(data, i, b), observe);
    if (progress) progress(pass * n + i + b, passes * n);
  }
}

}  // namespace

FTensor slice_samples(const FTensor& data, int64_t first, int64_t count) {
  const int64_t per = element_count(data.shape) / data.shape[0];
  FTensor out{data.shape, {}};
  out.shape[0] = count;
  out.data.assign(data.data.begin() + first * per, data.data.begin() + (first + count) * per);
  return out;
}

Ranges calibrate(const FloatGraph& g, const FTensor& data, RangeMethod method, double percentile,
                 const Progress& progress) {
  check_data(g, data);
  Ranges r;
  const int64_t passes = method == RangeMethod::kMaxAbs ? 1 : 2;
  for_each_batch(g, data, [&](const std::string& name, const FTensor& t) {
    double& m = r.range[name];
    for (float v : t.data) m = std::max(m, static_cast<double>(std::fabs(v)));
    r.shape[name] = t.shape;
  }, progress, 0, passes);
  r.samples = data.shape[0] / g.input_shape[0] * g.input_shape[0];
  if (method == RangeMethod::kMaxAbs) return r;

  // Second pass: a histogram of |x| per tensor over [0, max], then the
  // smallest bin edge below which `percentile` percent of the values lie.
  std::map<std::string, std::vector<int64_t>> hist;
  for_each_batch(g, data, [&](const std::string& name, const FTensor& t) {
    std::vector<int64_t>& h = hist[name];
    h.resize(kBins, 0);
    const double m = r.range.at(name);
    if (m <= 0) return;
    for (float v : t.data)
      ++h[static_cast<size_t>(std::min<double>(kBins - 1, std::fabs(v) / m * kBins))];
  }, progress, 1, passes);
  for (auto& [name, h] : hist) {
    int64_t total = 0;
    for (int64_t c : h) total += c;
    const double want = static_cast<double>(total) * percentile / 100.0;
    int64_t seen = 0;
    for (int i = 0; i < kBins; ++i) {
      seen += h[static_cast<size_t>(i)];
      if (static_cast<double>(seen) >= want) {
        r.range[name] = r.range.at(name) * (i + 1) / kBins;
        break;
      }
    }
  }
  return r;
}

}  // namespace cvm::quant
