// Attributes of transpose (spec/ops/transpose.rst).
#pragma once

#include <cstdint>
#include <vector>

namespace cvm {

/// The parsed attributes of transpose.
struct TransposeAttrs {
  /// The permutation; empty means reverse the axes.
  std::vector<int64_t> axes;
};

}  // namespace cvm
