#include "tools/quantize/quantize.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cvm/certify.h"
#include "cvm/errors.h"
#include "cvm/graph.h"
#include "cvm/intervals.h"
#include "cvm/model.h"
#include "cvm/npy.h"
#include "cvm/params.h"
#include "tools/quantize/check_graph.h"
#include "tools/quantize/evaluate.h"
#include "tools/quantize/float_npy.h"
#include "tools/quantize/layer_error.h"
#include "tools/quantize/onnx_import.h"
#include "tools/quantize/simplify.h"

namespace cvm::quant {
namespace {

using ojson = nlohmann::ordered_json;

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw_runtime("io", "cannot write '" + path.string() + "'");
}

// Logs "what: 10% .. 100%" at most every tenth of the work.
Progress progress_log(const Log& log, const std::string& what) {
  auto last = std::make_shared<int64_t>(-1);
  return [log, what, last](int64_t done, int64_t total) {
    const int64_t tenth = total > 0 ? done * 10 / total : 10;
    if (tenth == *last) return;
    *last = tenth;
    log(what + ": " + std::to_string(done) + "/" + std::to_string(total) + " samples");
  };
}

ojson layer_json(const LayerReport& l) {
  ojson j{{"node", l.node}, {"op", l.op}, {"output", l.output}, {"float_range", l.float_range},
          {"scale", l.scale}, {"precision", l.precision}};
  if (l.weight_scale > 0) {
    j["weight_scale"] = l.weight_scale;
    j["per_channel"] = l.per_channel;
    j["weight_error"] = {{"per_tensor", l.weight_error_tensor}, {"per_channel", l.weight_error_channel}};
  }
  // Every value the integer output takes on any valid input, and how many of
  // its declared bits those values never need (as `cvm prove` reports them).
  j["interval"] = {l.interval.lo, l.interval.hi};
  j["headroom_bits"] = headroom_bits(l.interval, l.precision);
  j["requant"] = l.requant;
  j["cvm_nodes"] = l.cvm_nodes;
  return j;
}

// Four significant digits, for the log.
std::string short_number(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%.4g", v);
  return s;
}

ojson error_json(const TensorError& e) {
  return {{"rel_l2", e.rel_l2}, {"max_abs", e.max_abs}, {"float_max", e.float_max}};
}

// The per-layer errors into the layer rows, the output's as "error", and
// two lines for the log: the end-to-end figure and the worst layer.
void add_error_report(const ErrorReport& e, const QuantizedModel& q, ojson& report, const Log& log) {
  ojson& layers = report["layers"];
  size_t worst = q.layers.size();
  for (size_t i = 0; i < q.layers.size(); ++i) {
    if (!e.layers[i].measured) continue;
    layers[i]["error"] = error_json(e.layers[i]);
    if (worst == q.layers.size() || e.layers[i].rel_l2 > e.layers[worst].rel_l2) worst = i;
  }
  report["error"] = {{"samples", e.samples}};
  if (e.output.measured) report["error"]["output"] = error_json(e.output);
  if (e.outputs.size() > 1) {  // a single-output model's report keeps its form
    ojson heads = ojson::array();
    for (const TensorError& t : e.outputs) heads.push_back(error_json(t));
    report["error"]["outputs"] = heads;
  }
  if (e.output.measured)
    log("quantization error on " + std::to_string(e.samples) + " calibration samples: output relative L2 " +
        short_number(e.output.rel_l2) + ", max abs " + short_number(e.output.max_abs) + " (|float| up to " +
        short_number(e.output.float_max) + ")");
  else
    log("quantization error on " + std::to_string(e.samples) +
        " calibration samples: the output (after NMS) has no float counterpart; see the layers");
  if (worst < q.layers.size())
    log("largest layer error: '" + q.layers[worst].node + "' (" + q.layers[worst].op + ") relative L2 " +
        short_number(e.layers[worst].rel_l2));
}

// A tensor that is 0 on every calibration sample has no range to scale:
// scale_for_range falls back to 1.0, which is almost certainly not what the
// caller wants (an all-zero or unrepresentative calibration set). Say so,
// naming the tensors.
void warn_zero_ranges(const Ranges& ranges, const Log& log) {
  std::vector<std::string> zero;
  for (const auto& [name, range] : ranges.range)
    if (!(range > 0.0)) zero.push_back(name);
  if (zero.empty()) return;
  constexpr size_t kNamed = 8;
  std::string names;
  for (size_t i = 0; i < zero.size() && i < kNamed; ++i) names += (i ? ", '" : "'") + zero[i] + "'";
  if (zero.size() > kNamed) names += ", and " + std::to_string(zero.size() - kNamed) + " more";
  log("warning: " + std::to_string(zero.size()) + " tensor" + (zero.size() == 1 ? " is" : "s are") +
      " 0 on every calibration sample, so " + (zero.size() == 1 ? "its" : "their") +
      " scale defaults to 1.0 (is the calibration set all zeros or unrepresentative?): " + names);
}

}  // namespace

QuantizeResult quantize(const QuantizeJob& job, const Log& log) {
  log("reading " + job.onnx_path);
  FloatGraph g = import_onnx_file(job.onnx_path, job.batch);
  const int folded = simplify(g);
  log("float graph: " + std::to_string(g.nodes.size()) + " nodes (" + std::to_string(folded) +
      " BatchNormalization folded)");
  // The structural checks before the slow calibration, naming the ONNX node.
  check_nms(g, check_lowerable(g), job.options.nms);
  if (!job.eval_path.empty() && g.outputs.size() > 1)
    throw_logic("quantize", "--eval measures top-1 accuracy of a classifier's single output; this model has " +
                                std::to_string(g.outputs.size()) +
                                " outputs (use --error-samples for the per-output quantization error)");

  FTensor calib = read_float_npy(job.calibration_path);
  if (calib.shape.empty()) throw_logic("quantize", "the calibration set has no sample dimension");
  if (job.calibration_samples > 0 && job.calibration_samples < calib.shape[0])
    calib = slice_samples(calib, 0, job.calibration_samples);
  const Ranges ranges = calibrate(g, calib, job.method, job.percentile, progress_log(log, "calibration"));
  warn_zero_ranges(ranges, log);

  const QuantizedModel q = lower(g, ranges, job.options);
  const std::string symbol = write_graph_json(q.graph);
  const std::string params = write_params(q.params);
  const std::shared_ptr<const Model> model = Model::load(symbol, params);
  const Certificate cert = certify(*model);
  log(std::string("cvm prove: ") + (cert.certified ? "CERTIFIED" : "NOT CERTIFIED"));

  const std::filesystem::path dir(job.output_dir);
  std::filesystem::create_directories(dir);
  write_file(dir / "symbol", symbol);
  write_file(dir / "params", params);
  // A ready model input: the first calibration batch, quantized.
  const TensorType in = model->input_type();
  const FTensor first = slice_samples(calib, 0, in.shape[0]);
  write_npy((dir / "input.npy").string(),
            NpyArray{in.shape, NpyDtype::kInt8, quantize_input(first, q.input_scale, in.precision)});

  QuantizeResult result;
  result.certified = cert.certified;
  ojson report;
  report["onnx"] = std::filesystem::path(job.onnx_path).filename().string();
  report["certified"] = cert.certified;
  report["gas"] = model->graph().gas;
  report["input"] = {{"shape", in.shape}, {"precision", q.input_precision}, {"scale", q.input_scale},
                     {"rule", "q = clip(round(x * scale), -R(p), R(p)), ties away from zero"}};
  report["output"] = {{"shape", model->graph().entries[static_cast<size_t>(model->graph().heads.at(0))].shape},
                      {"precision", q.output_precision}, {"scale", q.output_scale}};
  if (q.output_scales.size() > 1) {  // several heads: each its own shape, precision and scale
    ojson heads = ojson::array();
    for (size_t h = 0; h < q.output_scales.size(); ++h)
      heads.push_back({{"name", g.outputs[h]},
                       {"shape", model->graph().entries[static_cast<size_t>(model->graph().heads.at(h))].shape},
                       {"precision", q.output_precisions[h]}, {"scale", q.output_scales[h]}});
    report["outputs"] = heads;
  }
  report["calibration"] = {{"samples", ranges.samples},
                           {"method", job.method == RangeMethod::kMaxAbs ? "maxabs" : "percentile"}};
  if (job.method == RangeMethod::kPercentile) report["calibration"]["percentile"] = job.percentile;
  report["options"] = {{"activation_precision", job.options.activation_precision},
                       {"weight_precision", job.options.weight_precision},
                       {"min_shift_efficiency", job.options.min_shift_efficiency},
                       {"multiplier_bits", job.options.multiplier_bits},
                       {"use_intervals", job.options.use_intervals},
                       {"per_channel", job.options.per_channel == PerChannel::kOn    ? "on"
                                       : job.options.per_channel == PerChannel::kOff ? "off"
                                                                                     : "auto"}};
  if (job.options.nms.enabled)
    report["nms"] = {{"score_threshold", job.options.nms.score_threshold},
                     {"iou_percent", job.options.nms.iou_percent},
                     {"top_k", job.options.nms.top_k},
                     {"max_output_size", job.options.nms.max_output_size},
                     {"force_suppress", job.options.nms.force_suppress}};
  report["batch_norm_folded"] = folded;
  ojson layers = ojson::array();
  for (const LayerReport& l : q.layers) layers.push_back(layer_json(l));
  report["layers"] = layers;
  int64_t gemms = 0, per_channel = 0;
  for (const LayerReport& l : q.layers) {
    gemms += l.weight_scale > 0;
    per_channel += l.per_channel;
  }
  if (gemms > 0)
    log("per-channel weight scales: " + std::to_string(per_channel) + " of " + std::to_string(gemms) +
        " conv/dense layers");
  if (job.error_samples > 0) {
    const Backend* backend = find_backend(job.eval_backend);
    if (backend == nullptr)
      throw_runtime("backend", "backend '" + job.eval_backend + "' is unknown or not usable here");
    add_error_report(measure_errors(g, q, model, *backend, calib, job.error_samples), q, report, log);
  }

  if (!job.eval_path.empty()) {
    const FTensor data = read_float_npy(job.eval_path);
    const std::vector<int64_t> labels = read_label_npy(job.labels_path);
    const Backend* backend = find_backend(job.eval_backend);
    // As `cvm run --backend`: an unknown or unusable backend is a runtime
    // error (the tool checks it before any work).
    if (backend == nullptr)
      throw_runtime("backend", "backend '" + job.eval_backend + "' is unknown or not usable here");
    const Accuracy a = evaluate(g, model, *backend, q.input_scale, data, labels, true, progress_log(log, "evaluation"));
    result.float_accuracy = a.float_accuracy();
    result.int_accuracy = a.int_accuracy();
    report["evaluation"] = {{"samples", a.samples}, {"backend", job.eval_backend}, {"agreement", a.agree}};
    report["float_accuracy"] = a.float_accuracy();
    report["int_accuracy"] = a.int_accuracy();
    log("accuracy on " + std::to_string(a.samples) + " samples: float " + std::to_string(a.float_accuracy()) +
        ", integer " + std::to_string(a.int_accuracy()));
  }
  result.report_path = (dir / "report.json").string();
  write_file(result.report_path, report.dump(2) + "\n");
  return result;
}

}  // namespace cvm::quant
