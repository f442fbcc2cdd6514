// Lowering a calibrated canonical FloatGraph to an integer CVM model.
//
// Every float tensor x is represented by an integer tensor q with a scale S
// (x ~ q / S) and the precision the CVM precision rules give q. conv2d and
// dense read inputs of precision <= 8 (conv2d_c14, dense_c*): their data
// input is requantized to 8 bits from its calibrated range, their weight is
// quantized to 8 bits per tensor or, where that cuts the weight's error, per
// output channel (then a per-channel multiplier and a shift bring the
// accumulator to one scale), their bias to the accumulator's scale.
// Other ops keep the scale (relu, max_pool2d, flatten, reshape, transpose) or
// change it exactly (a global average pool is a sum: scale times H*W). Adds
// and concatenations first bring their inputs to one scale. Requantization is
// lazy: a wide accumulator stays wide through relu and pooling until an op
// needs 8 bits, so it is rounded once, from the range of the tensor that is
// actually read.
//
// Every requantization also consults the integer values' sound interval
// (cvm::value_intervals on the model built so far, what `cvm prove` reports):
// where it bounds the values more tightly than the calibrated range or the
// declared precision does, the narrowing uses it (docs/quantizer.rst, "Value
// intervals").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cvm/graph.h"
#include "cvm/intervals.h"
#include "cvm/params.h"
#include "tools/quantize/calibrate.h"
#include "tools/quantize/float_graph.h"
#include "tools/quantize/scale.h"

namespace cvm::quant {

/// Per-output-channel weight scales for conv2d/dense (docs/quantizer.rst,
/// "Per-channel weight scales"): kAuto where the weight's quantization error
/// with them is below kPerChannelGain times the per-tensor one.
enum class PerChannel { kAuto, kOff, kOn };

/// kAuto picks per-channel scales for a layer where its weight's relative L2
/// error is below this fraction of the per-tensor one.
inline constexpr double kPerChannelGain = 0.8;

/// Box NMS appended to a detection head (docs/quantizer.rst, "Detection
/// heads"): the single output, (B, N, 6) rows (class id, score, x1, y1, x2,
/// y2), goes through get_valid_counts and non_max_suppression.
struct NmsOptions {
  bool enabled = false;
  double score_threshold = 0;  ///< rows with a score above it are valid (float; rounded at the head's scale)
  int iou_percent = 50;        ///< suppress at an IoU of at least this many percent, in [1, 100]
  int top_k = -1;              ///< look at the best top_k rows only (-1: all)
  int max_output_size = -1;    ///< keep at most this many rows (-1: all)
  bool force_suppress = false; ///< suppress across classes too
};

struct QuantOptions {
  int activation_precision = 8;  ///< precision of conv2d/dense inputs (<= 8)
  int weight_precision = 8;      ///< precision of conv2d/dense weights (<= 8)
  /// A pure shift is used when it keeps at least this fraction of the target
  /// scale; otherwise an integer multiplier (scale.h).
  double min_shift_efficiency = 0.75;
  int multiplier_bits = 12;
  /// Use the value intervals of the integer model where they bound a tensor
  /// more tightly than its calibrated range or declared precision (false:
  /// calibration and declared precisions only).
  bool use_intervals = true;
  /// kOff here, so that lower() alone gives the plain per-tensor model;
  /// `cvm quantize` (QuantizeJob) defaults to kAuto.
  PerChannel per_channel = PerChannel::kOff;
  NmsOptions nms;
};

/// LogicError "quantize" unless NMS is off, or the graph has one output of
/// shape (B, N, 6) (`shapes`: check_lowerable's) and the thresholds are valid.
void check_nms(const FloatGraph& g, const std::map<std::string, Shape>& shapes, const NmsOptions& nms);

/// One report row: a float node and what it became.
struct LayerReport {
  std::string node;        ///< float node name
  std::string op;          ///< float op
  std::string output;      ///< float tensor name
  double float_range = 0;  ///< calibrated range of its output
  double scale = 0;        ///< S of the integer output
  int precision = 0;       ///< precision of the integer output
  double weight_scale = 0; ///< conv2d/dense: S_w (per channel: the largest channel's)
  bool per_channel = false;  ///< conv2d/dense: per-channel weight scales used
  /// conv2d/dense: the relative L2 error of the dequantized weight with one
  /// scale and with per-channel scales (weight_error, scale.h); -1 otherwise.
  double weight_error_tensor = -1;
  double weight_error_channel = -1;
  std::string cvm_output;  ///< the CVM node whose first output is the integer output
  std::vector<std::string> requant;  ///< requantizations of its inputs ("x: >> 7")
  std::vector<std::string> cvm_nodes;  ///< the CVM nodes it produced
  /// The value interval of the integer output (cvm::value_intervals on the
  /// lowered model): every value it takes on any valid input.
  ValueInterval interval;
};

struct QuantizedModel {
  Graph graph;
  std::vector<ParamArray> params;
  double input_scale = 1;
  int input_precision = 8;
  double output_scale = 1;  ///< the first output's (output_scales[0])
  int output_precision = 32;
  std::vector<double> output_scales;   ///< one per graph output (CVM head), in order
  std::vector<int> output_precisions;  ///< likewise
  /// The head is the output of non_max_suppression (NmsOptions): rows
  /// reordered and filled with -1, no longer the float output's counterpart.
  bool nms_head = false;
  std::vector<LayerReport> layers;
};

QuantizedModel lower(const FloatGraph& g, const Ranges& ranges, const QuantOptions& options);

/// The integer model input for float samples: round(x * scale) saturated.
std::vector<int32_t> quantize_input(const FTensor& x, double scale, int precision);

}  // namespace cvm::quant
