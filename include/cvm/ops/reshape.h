// Attributes of reshape (spec/ops/reshape.rst).
#pragma once

#include <cstdint>
#include <vector>

namespace cvm {

/// The parsed attributes of reshape.
struct ReshapeAttrs {
  /// The shape codes s_0 .. s_{M-1}: literals >= 1 and the codes 0, -1, -2, -3, -4.
  std::vector<int64_t> shape;
};

}  // namespace cvm
