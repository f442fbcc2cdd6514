// Building small ONNX models in the quantizer's tests, with known weights.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tools/quantize/float_graph.h"

namespace cvm::quant::test {

class OnnxBuilder {
 public:
  OnnxBuilder(const std::vector<int64_t>& input_shape, const std::vector<int64_t>& output_shape);
  /// Another graph output (after "y"), for multi-output models.
  void output(const std::string& name, const std::vector<int64_t>& shape);
  /// A float initializer.
  void constant(const std::string& name, const std::vector<int64_t>& shape, const std::vector<float>& values);
  /// A node; `ints` and `floats` are its list/float attributes.
  onnx::NodeProto& node(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
                        const std::string& output);
  static void ints(onnx::NodeProto& n, const std::string& key, const std::vector<int64_t>& v);
  static void integer(onnx::NodeProto& n, const std::string& key, int64_t v);
  static void real(onnx::NodeProto& n, const std::string& key, float v);
  static void floats(onnx::NodeProto& n, const std::string& key, const std::vector<float>& v);
  static void text(onnx::NodeProto& n, const std::string& key, const std::string& v);
  /// An INT64 initializer (e.g. Pad's pads).
  void int_constant(const std::string& name, const std::vector<int64_t>& values);
  /// A rank-0 INT64 initializer (e.g. Gather's index that drops the axis).
  void int_scalar(const std::string& name, int64_t value);
  /// The serialized model (opset 13); the graph output is "y".
  std::string bytes() const;

 private:
  onnx::ModelProto model_;
};

/// The model imported, canonicalized and checked as `cvm quantize` does
/// before calibrating (import_onnx, simplify, check_lowerable).
FloatGraph simplified(const std::string& onnx);

}  // namespace cvm::quant::test
