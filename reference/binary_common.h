// Helpers shared by the binary ops (elemwise_add/sub, broadcast_*).
//
// Only index bookkeeping lives here; every op keeps its own constraint
// labels, arithmetic and bound assertions in reference/<op>.cc.
#pragma once

#include <cstdint>

#include "cvm/errors.h"
#include "cvm/shape.h"

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

}  // namespace cvm
