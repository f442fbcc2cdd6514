// Reading an ONNX model (through Debian's libonnx-dev protobuf classes) into
// the quantizer's FloatGraph.
//
// Only what the quantizer can lower exactly is accepted (docs/quantizer.rst
// lists it). Anything else -- an unknown op, an attribute the lowering would
// ignore, a dynamic dimension, a second input -- is a LogicError labelled
// "quantize" that names the node, never a silently different model.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/quantize/float_graph.h"

namespace cvm::quant {

/// Parses serialized ONNX ModelProto bytes. `batch` replaces a symbolic
/// first input dimension (ONNX dynamic batch); other dimensions must be fixed.
FloatGraph import_onnx(std::string_view bytes, int64_t batch = 1);

/// Reads and parses an ONNX file (RuntimeError "io" if it cannot be read).
FloatGraph import_onnx_file(const std::string& path, int64_t batch = 1);

/// The ONNX op types the importer accepts, sorted: the source of the
/// `cvm quantize --help` list, and checked against docs/quantizer.rst's
/// table by a test.
std::vector<std::string> supported_onnx_ops();

}  // namespace cvm::quant
