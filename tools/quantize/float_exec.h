// A small float executor for the canonical ops (simplify.h): used only to
// calibrate activation ranges and to measure the float model's accuracy.
// Every sum is taken in double in one fixed order; conv and dense run on the
// blocked, threaded kernels of float_kernels.h, which keep that order (the
// result does not depend on the thread count or the ISA).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tools/quantize/float_graph.h"

namespace cvm::quant {

/// Called with the graph input and then each node's output, by tensor name.
using FloatObserver = std::function<void(const std::string& name, const FTensor& value)>;

/// Runs a canonical graph on one input (of g.input_shape). Returns the first
/// output. Throws LogicError "quantize" naming the node on a shape it cannot run.
FTensor run_float(const FloatGraph& g, const FTensor& input, const FloatObserver& observe = {});

/// As run_float; returns every output, in g.outputs order.
std::vector<FTensor> run_float_outputs(const FloatGraph& g, const FTensor& input, const FloatObserver& observe = {});

/// The output shape of `n` for the given input shapes (used by the lowering
/// too, so both agree on e.g. Reshape's 0 and -1 codes).
Shape float_output_shape(const FNode& n, const std::vector<Shape>& inputs);

}  // namespace cvm::quant
