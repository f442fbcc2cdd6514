// Shape arithmetic folded into constants, node by node inside simplify():
// the graph input's shape is fixed, so Shape and everything computed from it
// (Gather, Slice, Unsqueeze, Squeeze, Concat, Cast, Mul, Div, Add, Sub) is a
// constant, and a Reshape whose shape is computed that way (ShuffleNet's
// channel shuffle) gets a constant shape. A Slice or Split of a computed
// tensor becomes a canonical Slice (a strided_slice), a Gather of one with a
// constant index a Slice that drops the axis, a Squeeze or Unsqueeze of one
// a Reshape, a Cast of one to float nothing, and Mul / Add / Sub / Div of
// one by a scalar or per-channel constant a ChannelAffine (Inception's
// input transform), and a ReduceMean over every axis after the channels a
// GlobalAveragePool (with keepdims).
#pragma once

#include <map>
#include <set>
#include <string>

#include "tools/quantize/float_graph.h"

namespace cvm::quant::detail {

class ShapeFolder {
 public:
  explicit ShapeFolder(FloatGraph& g);

  /// Called for each node in order, before it is canonicalized. Returns true
  /// when the node became a constant (or was an identity) and must be
  /// dropped; otherwise it may have been rewritten into a canonical op.
  bool fold(FNode& n);

  /// Called after node n is canonicalized: records its output shape where
  /// the float executor's shape rule gives one.
  void record(const FNode& n);

  /// The shape of tensor `name` where known so far; nullptr otherwise.
  const Shape* find(const std::string& name) const;

 private:
  const Shape& shape_of(const FNode& n, const std::string& name) const;
  FTensor evaluate(const FNode& n);
  void to_slice(FNode& n);
  void to_reshape(FNode& n);
  void to_gather_slice(FNode& n);
  bool to_affine(FNode& n);
  void to_global_average(FNode& n);

  FloatGraph& g_;
  std::map<std::string, Shape> shapes_;
  std::set<std::string> ints_;  // tensors of an integer ONNX type (Shape's output and what derives from it)
};

}  // namespace cvm::quant::detail
