// Attributes of repeat (spec/ops/repeat.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of repeat (each element repeated along one axis).
struct RepeatAttrs {
  /// How many consecutive copies of each element the output holds along axis;
  /// required, at least 1.
  int64_t repeats = 0;
  /// The axis along which elements are repeated, in [-N, N-1] for an input of
  /// rank N, a negative value counting from the end.
  int64_t axis = 0;
};

}  // namespace cvm
