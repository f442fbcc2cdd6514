// Attributes of cvm_clip (spec/ops/cvm_clip.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct CvmClipAttrs {
  int64_t precision = 0;
  /// Must parse as a bool, then ignored (the clip is always signed).
  bool is_sign = true;
};

}  // namespace cvm
