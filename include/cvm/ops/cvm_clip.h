// Attributes of cvm_clip (spec/ops/cvm_clip.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of cvm_clip: the input clamped to the signed range of
/// a precision.
struct CvmClipAttrs {
  /// The output precision p in [1, 32]; values are clamped to
  /// [-(2^(p-1)-1), 2^(p-1)-1].
  int64_t precision = 0;
  /// Must parse as a bool, then ignored (the clip is always signed).
  bool is_sign = true;
};

}  // namespace cvm
