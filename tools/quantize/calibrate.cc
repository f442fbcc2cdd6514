#include "tools/quantize/calibrate.h"

#include <algorithm>
#include <cmath>
#include <optional>
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

// Whether `n` computes each sample of a batch on its own, dimension 0 of its
// output being the batch as dimension 0 of its inputs is (so running it on
// several batches at once gives each sample's values unchanged). Reshape
// codes[0] is rewritten in `n` for a batch `factor` times larger.
bool keeps_samples_apart(const FloatGraph& g, FNode& n, int64_t factor) {
  // Data inputs must carry the batch (a constant has none); the weight and
  // bias of Conv and Dense must be constants (one set for every sample).
  const bool weighted = n.op == "Conv" || n.op == "Dense";
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (n.inputs[i].empty()) continue;
    if (g.is_constant(n.inputs[i]) != (weighted && i > 0)) return false;
  }
  static const char* const kPerSample[] = {"Conv", "Dense", "Relu", "Clip", "MaxPool", "AveragePool",
                                           "GlobalAveragePool", "Add"};
  for (const char* op : kPerSample)
    if (n.op == op) return true;
  if (n.op == "Flatten") return n.int_attr("axis", 1) == 1;
  if (n.op == "Transpose") {
    const std::vector<int64_t> perm = n.ints_attr("perm", {});
    return !perm.empty() && perm[0] == 0;
  }
  if (n.op == "Concat") {
    const int64_t axis = n.int_attr("axis", 0);
    return axis > 0;  // a negative axis could name 0 (the rank is not known here)
  }
  if (n.op == "Reshape") {
    std::vector<int64_t>& codes = n.attrs["shape"].ints;
    if (codes.empty()) return false;
    const int64_t inferred = std::count(codes.begin(), codes.end(), int64_t{-1});
    if (codes[0] == 0 || (codes[0] == -1 && inferred == 1)) return true;  // copies or infers the batch
    if (codes[0] != g.input_shape[0]) return false;
    codes[0] *= factor;
    return true;
  }
  return false;  // any other op may mix samples: run the model's own batch
}

// `g` with a batch `factor` times larger, if every node keeps samples
// apart; otherwise nothing.
std::optional<FloatGraph> widened(const FloatGraph& g, int64_t factor) {
  if (factor <= 1) return std::nullopt;
  FloatGraph w;
  w.input = g.input;
  w.input_shape = g.input_shape;
  w.input_shape[0] *= factor;
  w.outputs = g.outputs;
  w.nodes = g.nodes;
  for (FNode& n : w.nodes)
    if (!keeps_samples_apart(g, n, factor)) return std::nullopt;
  w.constants = g.constants;
  return w;
}

// What a calibration pass sees of each tensor: its shape for one model
// batch, and its values on every sample of the run.
using Observe = std::function<void(const std::string& name, const Shape& shape, const std::vector<float>& values)>;

// Runs every whole batch of `data` through the model, `wide`'s batches at a
// time where there is a `wide` graph, then the rest one model batch at a
// time. Every tensor's dimension 0 is the batch (widened() checks it), so
// dividing it by the number of batches in the run gives a model batch's
// shape.
void for_each_batch(const FloatGraph& g, const std::optional<FloatGraph>& wide, const FTensor& data,
                    const Observe& observe, const Progress& progress, int64_t pass, int64_t passes) {
  const int64_t b = g.input_shape[0], n = data.shape[0] / b * b;
  auto run = [&](const FloatGraph& graph, int64_t first) {
    const int64_t count = graph.input_shape[0], batches = count / b;
    run_float(graph, slice_samples(data, first, count), [&](const std::string& name, const FTensor& t) {
      Shape shape = t.shape;
      if (!shape.empty()) shape[0] /= batches;
      observe(name, shape, t.data);
    });
    if (progress) progress(pass * n + first + count, passes * n);
    return count;
  };
  int64_t i = 0;
  while (wide && i + wide->input_shape[0] <= n) i += run(*wide, i);
  while (i < n) i += run(g, i);
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
                 const Progress& progress, int64_t batches_per_run) {
  check_data(g, data);
  const int64_t b = g.input_shape[0];
  const std::optional<FloatGraph> wide = widened(g, std::min(batches_per_run, data.shape[0] / b));
  Ranges r;
  const int64_t passes = method == RangeMethod::kMaxAbs ? 1 : 2;
  for_each_batch(g, wide, data, [&](const std::string& name, const Shape& shape, const std::vector<float>& values) {
    // max |x| in float (exact, and vectorizable), then to double: the same
    // value as a double max over the doubles. NaN never wins either way.
    float m = 0.0f;
    for (float v : values) m = std::max(m, std::fabs(v));
    double& range = r.range[name];
    range = std::max(range, static_cast<double>(m));
    r.shape[name] = shape;
  }, progress, 0, passes);
  r.samples = data.shape[0] / b * b;
  if (method == RangeMethod::kMaxAbs) return r;

  // Second pass: a histogram of |x| per tensor over [0, max], then the
  // smallest bin edge below which `percentile` percent of the values lie.
  std::map<std::string, std::vector<int64_t>> hist;
  for_each_batch(g, wide, data, [&](const std::string& name, const Shape&, const std::vector<float>& values) {
    std::vector<int64_t>& h = hist[name];
    h.resize(kBins, 0);
    const double m = r.range.at(name);
    if (m <= 0) return;
    for (float v : values)
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
