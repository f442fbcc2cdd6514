// Attributes of concatenate (spec/ops/concatenate.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of concatenate.
struct ConcatenateAttrs {
  /// The axis along which the inputs are joined, as written: in [-n, n-1] for
  /// inputs of rank n, a negative value counting from the last axis. Not yet
  /// normalised, because the rank is known only when the shapes are inferred.
  int64_t axis = 1;
};

}  // namespace cvm
