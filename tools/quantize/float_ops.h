// Float kernels of the canonical ops added for MobileNetV3 / DenseNet /
// ShuffleNet style graphs (ChannelAffine, Mul, HardSigmoid, Slice) and for
// detection heads (LeakyRelu, Upsample, Sigmoid, Exp, Softmax), kept
// apart from float_exec.cc's core set; float_exec.cc dispatches to them.
#pragma once

#include <optional>
#include <vector>

#include "tools/quantize/float_graph.h"

namespace cvm::quant {

/// Whether `op` is one of the canonical ops implemented here.
bool is_float_extra_op(const std::string& op);

/// The output shape of such a node (LogicError "quantize" naming it when the
/// input shapes do not fit).
Shape float_extra_output_shape(const FNode& n, const std::vector<Shape>& inputs);

/// Runs such a node on its inputs (constants included, in input order).
FTensor run_float_extra(const FNode& n, const std::vector<const FTensor*>& inputs);

/// y[k] = x[begin + step * k] for every multi-index k of `out` (steps >= 1):
/// the canonical Slice, also used to fold slices of constants.
FTensor slice_tensor(const FTensor& x, const std::vector<int64_t>& begin, const std::vector<int64_t>& step,
                     const Shape& out);

}  // namespace cvm::quant
