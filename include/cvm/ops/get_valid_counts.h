// Attributes of get_valid_counts (spec/ops/get_valid_counts.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of get_valid_counts.
struct GetValidCountsAttrs {
  /// A row is kept when its score (element 1 of the row) is greater than this
  /// value; any int32.
  int64_t score_threshold = 0;
};

}  // namespace cvm
