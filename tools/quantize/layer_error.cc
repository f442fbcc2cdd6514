#include "tools/quantize/layer_error.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "cvm/runtime.h"
#include "tools/quantize/calibrate.h"
#include "tools/quantize/float_exec.h"

namespace cvm::quant {
namespace {

// Sums over every sample, turned into a TensorError at the end.
struct Accumulator {
  bool measured = false;
  double err2 = 0, norm2 = 0, max_abs = 0, float_max = 0;

  void add(const std::vector<float>& x, const std::vector<int32_t>& q, double scale) {
    if (x.size() != q.size()) return;  // not the same tensor: leave it unmeasured
    measured = true;
    for (size_t i = 0; i < x.size(); ++i) {
      const double f = x[i], d = f - q[i] / scale;
      err2 += d * d;
      norm2 += f * f;
      max_abs = std::max(max_abs, std::fabs(d));
      float_max = std::max(float_max, std::fabs(f));
    }
  }

  TensorError result() const {
    return TensorError{measured, norm2 > 0 ? std::sqrt(err2 / norm2) : 0.0, max_abs, float_max};
  }
};

}  // namespace

ErrorReport measure_errors(const FloatGraph& g, const QuantizedModel& q, const std::shared_ptr<const Model>& model,
                           const Backend& backend, const FTensor& data, int64_t max_samples) {
  ErrorReport report;
  report.layers.resize(q.layers.size());
  const int64_t b = g.input_shape.at(0);
  if (max_samples <= 0) return report;
  // At least one model batch, whole batches only.
  const int64_t n = std::min(std::max(max_samples, b), data.shape.at(0)) / b * b;
  // Model node index -> report rows whose integer output it holds.
  std::multimap<size_t, size_t> rows_of_node;
  std::map<std::string, size_t> node_index;
  const auto& nodes = model->graph().nodes;
  for (size_t i = 0; i < nodes.size(); ++i) node_index[nodes[i].name] = i;
  for (size_t r = 0; r < q.layers.size(); ++r) {
    const auto it = node_index.find(q.layers[r].cvm_output);
    if (it != node_index.end()) rows_of_node.emplace(it->second, r);
  }
  std::vector<Accumulator> acc(q.layers.size());
  std::vector<Accumulator> out(g.outputs.size());
  Runtime runtime(model, backend);
  const TensorType in = model->input_type();
  for (int64_t i = 0; i < n; i += b) {
    const FTensor x = slice_samples(data, i, b);
    std::map<std::string, std::vector<float>> floats;
    const std::vector<FTensor> fy =
        run_float_outputs(g, x, [&](const std::string& name, const FTensor& v) { floats[name] = v.data; });
    const NodeObserver observe = [&](size_t node, std::span<const Tensor> outputs) {
      const auto [lo, hi] = rows_of_node.equal_range(node);
      for (auto it = lo; it != hi; ++it) {
        const LayerReport& l = q.layers[it->second];
        const auto f = floats.find(l.output);
        if (f != floats.end() && !outputs.empty()) acc[it->second].add(f->second, outputs[0].data, l.scale);
      }
    };
    const Tensor qx{in.shape, in.precision, quantize_input(x, q.input_scale, in.precision)};
    const std::vector<Tensor> y = runtime.run(qx, &observe);
    // After NMS the head's rows are reordered and filled with -1: not
    // comparable with the float output (its last layer row still is).
    for (size_t h = 0; h < out.size() && h < y.size() && !q.nms_head; ++h)
      out[h].add(fy[h].data, y[h].data, q.output_scales.at(h));
    report.samples += b;
  }
  for (size_t r = 0; r < acc.size(); ++r) report.layers[r] = acc[r].result();
  for (const Accumulator& a : out) report.outputs.push_back(a.result());
  report.output = report.outputs.at(0);
  return report;
}

}  // namespace cvm::quant
