// Attributes of get_valid_counts (spec/ops/get_valid_counts.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct GetValidCountsAttrs {
  int64_t score_threshold = 0;
};

}  // namespace cvm
