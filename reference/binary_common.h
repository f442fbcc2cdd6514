// Helpers shared by the binary ops (elemwise_add/sub, broadcast_*).
//
// Only index bookkeeping and the loop live here; every op keeps its own
// constraint labels, arithmetic and bound labels in reference/<op>.cc, and
// passes them in (labels as string literals, the formula as a lambda).
#pragma once

#include <cstdint>
#include <string_view>

#include "cvm/errors.h"
#include "cvm/op.h"
#include "cvm/shape.h"
#include "cvm/tensor.h"
#include "output_loop.h"

namespace cvm {

/// The flat offsets in `a` and `b` of the elements that broadcast output
/// element `i` (flat, row-major in `out_shape`) reads (spec/notation.rst,
/// "Broadcasting": right-aligned, coordinate 0 on every dim of size 1;
/// rules::broadcast_source through cvm::broadcast_source). Asserts that both
/// lie in their inputs, the op's index bound `label` (<op>_b2, proved in
/// proofs/broadcast_index.cc).
struct BroadcastOffsets {
  int64_t a = 0;
  int64_t b = 0;
};

inline BroadcastOffsets broadcast_offsets(int64_t i, const Shape& out_shape, const Shape& a_shape,
                                          const Shape& b_shape, const char* label) {
  const Index out_index = unravel(i, out_shape);
  const BroadcastOffsets o{ravel(broadcast_source(out_index, a_shape), a_shape),
                           ravel(broadcast_source(out_index, b_shape), b_shape)};
  CVM_BOUND(o.a >= 0 && o.a < shape_size(a_shape) && o.b >= 0 && o.b < shape_size(b_shape), label,
            "y[", i, "] reads offsets ", o.a, " of a and ", o.b, " of b");
  return o;
}

/// y[i] = f(a_i, b_i) for every flat index i of y, where a_i and b_i are the
/// elements of a and b that output element i reads under broadcasting
/// (broadcast_offsets, asserting the index bound `index_label`, <op>_b2).
/// Each value is checked against the output bound `bound_label` (<op>_b1).
template <class F>
void broadcast_elements(const Tensor& a, const Tensor& b, Tensor& y, const char* bound_label,
                        const char* index_label, F f) {
  fill_output(y, bound_label, [&](int64_t i) {
    const BroadcastOffsets o = broadcast_offsets(i, y.shape, a.shape, b.shape, index_label);
    return f(int64_t{a.data[static_cast<size_t>(o.a)]}, int64_t{b.data[static_cast<size_t>(o.b)]});
  });
}

/// y[i] = f(a[i], b[i]) for every flat index i of the element-wise ops
/// (same shapes, no broadcasting); each value is checked against the output
/// bound `bound_label` (<op>_b1).
template <class F>
void zip_elements(const Tensor& a, const Tensor& b, Tensor& y, const char* bound_label, F f) {
  fill_output(y, bound_label, [&](int64_t i) {
    const auto k = static_cast<size_t>(i);
    return f(int64_t{a.data[k]}, int64_t{b.data[k]});
  });
}

/// The output type of an element-wise op: a and b have identical shapes (the
/// op's constraint `shape_label`, <op>_c1: no broadcasting) and the output
/// has that shape with the precision the op's rule gives for (p_a, p_b).
template <class PrecisionRule>
Types same_shape_type(const Types& in, const char* shape_label, std::string_view op, PrecisionRule precision) {
  const TensorType& a = in[0];
  const TensorType& b = in[1];
  CVM_REQUIRE(a.shape == b.shape, shape_label, "shapes ", shape_str(a.shape), " and ", shape_str(b.shape),
              " differ (", op, " does not broadcast)");
  return {TensorType{a.shape, precision(a.precision, b.precision)}};
}

/// The output type of a broadcast op: the broadcast shape of a and b (the
/// op's constraint `shape_label`, <op>_c1: right-aligned, equal dims or a 1)
/// with the precision the op's rule gives for (p_a, p_b).
template <class PrecisionRule>
Types broadcast_type(const Types& in, const char* shape_label, PrecisionRule precision) {
  const TensorType& a = in[0];
  const TensorType& b = in[1];
  return {TensorType{broadcast_shapes(a.shape, b.shape, shape_label), precision(a.precision, b.precision)}};
}

}  // namespace cvm
