// Attributes of clip (spec/ops/clip.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of clip: every output value is its input clamped to
/// [a_min, a_max].
struct ClipAttrs {
  /// Lower bound of the result, inclusive; required, at most a_max - 1.
  int64_t a_min = 0;
  /// Upper bound of the result, inclusive; required, at most 2^31 - 1.
  int64_t a_max = 0;
};

}  // namespace cvm
