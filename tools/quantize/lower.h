// Lowering a calibrated canonical FloatGraph to an integer CVM model.
//
// Every float tensor x is represented by an integer tensor q with a scale S
// (x ~ q / S) and the precision the CVM precision rules give q. conv2d and
// dense read inputs of precision <= 8 (conv2d_c14, dense_c*): their data
// input is requantized to 8 bits from its calibrated range, their weight is
// quantized per tensor to 8 bits, their bias to the accumulator's scale.
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

#include <string>
#include <vector>

#include "cvm/graph.h"
#include "cvm/intervals.h"
#include "cvm/params.h"
#include "tools/quantize/calibrate.h"
#include "tools/quantize/float_graph.h"
#include "tools/quantize/scale.h"

namespace cvm::quant {

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
};

/// One report row: a float node and what it became.
struct LayerReport {
  std::string node;        ///< float node name
  std::string op;          ///< float op
  std::string output;      ///< float tensor name
  double float_range = 0;  ///< calibrated range of its output
  double scale = 0;        ///< S of the integer output
  int precision = 0;       ///< precision of the integer output
  double weight_scale = 0; ///< conv2d/dense: S_w (0 otherwise)
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
  double output_scale = 1;
  int output_precision = 32;
  std::vector<LayerReport> layers;
};

QuantizedModel lower(const FloatGraph& g, const Ranges& ranges, const QuantOptions& options);

/// The integer model input for float samples: round(x * scale) saturated.
std::vector<int32_t> quantize_input(const FTensor& x, double scale, int precision);

}  // namespace cvm::quant
