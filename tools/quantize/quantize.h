// The whole quantizer: ONNX file + calibration set -> certified CVM model
// files and a JSON report (what `cvm quantize` runs).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "tools/quantize/calibrate.h"
#include "tools/quantize/lower.h"

namespace cvm::quant {

struct QuantizeJob {
  std::string onnx_path;
  std::string calibration_path;  ///< float .npy, (N, ...) samples
  std::string output_dir;        ///< gets symbol, params, report.json, input.npy
  std::string eval_path;         ///< optional float .npy
  std::string labels_path;       ///< optional integer .npy (with eval_path)
  int64_t batch = 1;             ///< replaces a dynamic ONNX batch dimension
  int64_t calibration_samples = 0;  ///< 0: all
  RangeMethod method = RangeMethod::kMaxAbs;
  double percentile = 99.99;
  QuantOptions options{.per_channel = PerChannel::kAuto, .nms = {}};
  std::string eval_backend = "fast";
  /// Calibration samples the quantization-error report runs both models on
  /// (0: no report).
  int64_t error_samples = 4;
};

struct QuantizeResult {
  bool certified = false;
  std::optional<double> float_accuracy;
  std::optional<double> int_accuracy;
  std::string report_path;
};

/// Progress and status lines (stderr in the tool).
using Log = std::function<void(const std::string& line)>;

/// Runs the job. The model is loaded and certified (cvm prove) before it is
/// written; an uncertified model is written only with `certified` false, and
/// the caller reports it (the tool exits non-zero).
QuantizeResult quantize(const QuantizeJob& job, const Log& log);

}  // namespace cvm::quant
