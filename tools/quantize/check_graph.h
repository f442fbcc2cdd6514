// Structural checks of a canonical FloatGraph, run before calibration: the
// shapes of every tensor (from the fixed input shape) and the conditions the
// lowering's CVM ops would reject only after the slow calibration, reported
// naming the ONNX node.
#pragma once

#include <map>
#include <string>

#include "tools/quantize/float_graph.h"

namespace cvm::quant {

/// Infers every computed tensor's shape (float_output_shape, node by node)
/// and checks each node against the CVM op it lowers to. Returns the shapes
/// by tensor name. LogicError "quantize" naming the node otherwise.
std::map<std::string, Shape> check_lowerable(const FloatGraph& g);

}  // namespace cvm::quant
