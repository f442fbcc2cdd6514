// Attributes of expand_dims (spec/ops/expand_dims.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of expand_dims (inserts dims of extent 1).
struct ExpandDimsAttrs {
  /// Where the new dims go, for an input of rank N: in [-N-1, N], a negative
  /// value counting from the end; required.
  int64_t axis = 0;
  /// How many dims of extent 1 are inserted; in [1, 4096].
  int64_t num_newaxis = 1;
};

}  // namespace cvm
