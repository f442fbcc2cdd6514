// Helpers shared by the binary ops (elemwise_add/sub, broadcast_*).
//
// Only index bookkeeping and the loop live here; every op keeps its own
// constraint labels, arithmetic and bound labels in reference/<op>.cc, and
// passes them in (labels as string literals, the formula as a lambda).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "cvm/errors.h"
#include "cvm/op.h"
#include "cvm/shape.h"
#include "cvm/tensor.h"
#include "output_loop.h"

namespace cvm {

/// The flat offsets in `a` and `b` of the elements that a broadcast output
/// element reads (spec/notation.rst, "Broadcasting": right-aligned,
/// coordinate 0 on every dim of size 1; BroadcastWalk below).
struct BroadcastOffsets {
  int64_t a = 0;
  int64_t b = 0;
};

/// Asserts that the offsets `o` that output element `i` reads lie in their
/// inputs, the op's index bound `label` (<op>_b2, proved in
/// proofs/broadcast_index.cc), and returns them.
inline BroadcastOffsets broadcast_offsets(int64_t i, const BroadcastOffsets& o,
                                          const Shape& a_shape, const Shape& b_shape,
                                          const char* label) {
  CVM_BOUND(o.a >= 0 && o.a < shape_size(a_shape) && o.b >= 0 && o.b < shape_size(b_shape), label,
            "y[", i, "] reads offsets ", o.a, " of a and ", o.b, " of b");
  return o;
}

/// The output indices j of a broadcast op in row-major order, with the
/// offsets ravel(broadcast_source(j, e), e) that j reads in each input of
/// shape e, kept up to date as j steps instead of built from unravel(i) for
/// every element, which would allocate three indices per element. That
/// offset is linear in j: broadcast_source picks coordinates of j (or 0,
/// where e's dim is 1) and ravel weighs them with e's row-major strides. So
/// a step of output coordinate k moves it by the offset of the unit index
/// (1 at k, 0 elsewhere), computed once by the same two functions; when
/// coordinate k wraps to 0 its moves are undone and the step carries to
/// coordinate k - 1.
class BroadcastWalk {
 public:
  BroadcastWalk(const Shape& out_shape, const Shape& a_shape, const Shape& b_shape)
      : out_(out_shape),
        j_(out_shape.size(), 0),
        a_step_(steps(out_shape, a_shape)),
        b_step_(steps(out_shape, b_shape)) {}

  /// The offsets of the current output index.
  const BroadcastOffsets& offsets() const { return o_; }

  /// Moves to the next output index in row-major order.
  void next() {
    for (size_t k = out_.size(); k-- > 0;) {
      o_.a += a_step_[k];
      o_.b += b_step_[k];
      if (++j_[k] < out_[k]) return;
      o_.a -= a_step_[k] * out_[k];
      o_.b -= b_step_[k] * out_[k];
      j_[k] = 0;
    }
  }

 private:
  // The offset in an input of shape e that each unit output index reads.
  static std::vector<int64_t> steps(const Shape& out_shape, const Shape& e) {
    std::vector<int64_t> step(out_shape.size());
    Index unit(out_shape.size(), 0);
    for (size_t k = 0; k < out_shape.size(); ++k) {
      unit[k] = 1;
      step[k] = ravel(broadcast_source(unit, e), e);
      unit[k] = 0;
    }
    return step;
  }

  const Shape& out_;
  Index j_;
  std::vector<int64_t> a_step_, b_step_;
  BroadcastOffsets o_;
};

/// y[i] = f(a_i, b_i) for every flat index i of y, where a_i and b_i are the
/// elements of a and b that output element i reads under broadcasting
/// (BroadcastWalk; broadcast_offsets asserts the index bound `index_label`,
/// <op>_b2). Each value is checked against the output bound `bound_label`
/// (<op>_b1). fill_output visits i in increasing order, as the walk steps.
template <class F>
void broadcast_elements(const Tensor& a, const Tensor& b, Tensor& y, const char* bound_label,
                        const char* index_label, F f) {
  BroadcastWalk walk(y.shape, a.shape, b.shape);
  fill_output(y, bound_label, [&](int64_t i) {
    const BroadcastOffsets o = broadcast_offsets(i, walk.offsets(), a.shape, b.shape, index_label);
    walk.next();
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
