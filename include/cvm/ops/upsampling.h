// Attributes of upsampling (spec/ops/upsampling.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of upsampling (nearest neighbour, NCHW).
struct UpsamplingAttrs {
  /// The factor by which height and width grow: every input element becomes
  /// a scale x scale block; in [1, 4096].
  int64_t scale = 1;
};

}  // namespace cvm
