// Helpers shared by the simplify passes (simplify.cc, fold_pad.cc,
// expand_ops.cc): graph edits on a FloatGraph and errors naming the node.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tools/quantize/float_graph.h"

namespace cvm::quant::detail {

/// LogicError "quantize": "node 'x' (Op): message".
[[noreturn]] void fail(const FNode& n, const std::string& message);

/// Input `input` of `n`, which must be a constant (else an error saying `what`).
const FTensor& constant(const FloatGraph& g, const FNode& n, size_t input, const char* what);

/// Input `input` of `n`: a constant holding exactly `size` values.
std::vector<float> vector_of(const FloatGraph& g, const FNode& n, size_t input, int64_t size, const char* what);

/// An integer held in a float constant (a shape, an index, a pad), truncated
/// toward zero and saturated to +-2^30 (beyond any dimension) so that the
/// conversion is always defined.
int64_t int_value(float v);

/// How many nodes read each tensor; the graph output counts as a reader.
std::map<std::string, int> use_counts(const FloatGraph& g);

/// Replaces every use of `from` by `to` (a removed node's output by its input).
void rename_uses(FloatGraph& g, const std::string& from, const std::string& to);

/// Adds constant `t` under a new name starting with `base`; returns the name.
std::string fresh_constant(FloatGraph& g, const std::string& base, FTensor t);

/// A tensor name starting with `base` that no node, constant or the input uses.
std::string fresh_tensor(const FloatGraph& g, const std::vector<FNode>& more, const std::string& base);

/// Folds every zero Pad into the Conv / AveragePool / MaxPool that alone
/// reads it (fold_pad.cc); any other Pad is an error naming it.
void fold_pads(FloatGraph& g);

/// Rewrites composite and 1-D ops into canonical 2-D ones (expand_ops.cc):
/// HardSwish -> HardSigmoid + Mul, rank-3 Conv / MaxPool / AveragePool ->
/// Reshape, 2-D op with a unit width, Reshape.
void expand_ops(FloatGraph& g);

/// Resize / Upsample (nearest, integer scale s) -> canonical Upsample with
/// attr scale, where ONNX's rounding reads row h div s for every output row
/// h (canonical_heads.cc); `x_shape` (nullptr: unknown) turns sizes into
/// scales. Anything else is an error naming the node.
void canonical_resize(FloatGraph& g, FNode& n, const Shape* x_shape);

/// LeakyRelu with its alpha explicit.
void canonical_leaky_relu(FNode& n);

/// Softmax: checks that it is over the last axis of `x_shape` (nullptr:
/// unknown, an error), the only form lowered; drops the axis attribute.
void canonical_softmax(const FloatGraph& g, FNode& n, const Shape* x_shape);

}  // namespace cvm::quant::detail
