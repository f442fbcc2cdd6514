// Helpers shared by the binary ops (elemwise_add/sub, broadcast_*).
//
// Only index bookkeeping lives here; every op keeps its own constraint
// labels, arithmetic and bound assertions in reference/<op>.cc.
#pragma once

#include <cstdint>

#include "cvm/shape.h"

namespace cvm {

/// The flat offsets in `a` and `b` of the elements that broadcast output
/// element `i` (flat, row-major in `out_shape`) reads (spec/notation.rst,
/// "Broadcasting": right-aligned, coordinate 0 on every dim of size 1).
struct BroadcastOffsets {
  int64_t a = 0;
  int64_t b = 0;
};

inline BroadcastOffsets broadcast_offsets(int64_t i, const Shape& out_shape, const Shape& a_shape,
                                          const Shape& b_shape) {
  const Index out_index = unravel(i, out_shape);
  return {ravel(broadcast_source(out_index, a_shape), a_shape),
          ravel(broadcast_source(out_index, b_shape), b_shape)};
}

}  // namespace cvm
