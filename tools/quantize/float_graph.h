// The quantizer's float model: what an imported ONNX graph becomes.
//
// The quantizer (cvm quantize) is an offline tool: floats live here and in
// the float executor only, to calibrate activation ranges and measure
// accuracy. Nothing in this directory is on the inference path; its output is
// an integer CVM model that the runtime checks like any other.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cvm/shape.h"

namespace cvm::quant {

/// A dense float tensor, row-major.
struct FTensor {
  Shape shape;
  std::vector<float> data;
};

/// One attribute of a node: an integer, a float, a list of integers or of
/// floats, or a string.
struct FAttr {
  int64_t i = 0;
  float f = 0;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::string s;
};

/// One node. The op names are ONNX's; after simplify() only the canonical set
/// listed in simplify.h remains.
struct FNode {
  std::string name;                 ///< the ONNX node name (or "<op>_<index>")
  std::string op;                   ///< ONNX op type, e.g. "Conv"
  std::vector<std::string> inputs;  ///< tensor names; "" for an absent optional input
  std::string output;               ///< every supported op has one output
  std::map<std::string, FAttr> attrs;

  bool has(const std::string& key) const { return attrs.count(key) != 0; }
  int64_t int_attr(const std::string& key, int64_t fallback) const;
  float float_attr(const std::string& key, float fallback) const;
  std::vector<int64_t> ints_attr(const std::string& key, std::vector<int64_t> fallback) const;
  /// "node 'conv1' (Conv)" for error messages.
  std::string describe() const;
};

/// A single-input float graph in topological order, with one or more
/// outputs (a detector's heads).
struct FloatGraph {
  std::string input;                 ///< name of the graph input
  Shape input_shape;                 ///< fixed shape (batch included)
  std::vector<std::string> outputs;  ///< names of the graph outputs, in ONNX order (at least one)
  int64_t opset = 13;                ///< the ONNX (ai.onnx) opset: some defaults depend on it
  std::vector<FNode> nodes;
  std::map<std::string, FTensor> constants;  ///< initializers and Constant nodes

  bool is_constant(const std::string& name) const { return constants.count(name) != 0; }
  bool is_output(const std::string& name) const;
};

/// Number of elements of a shape (1 for rank 0).
int64_t element_count(const Shape& shape);

}  // namespace cvm::quant
