// Attributes of clip (spec/ops/clip.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct ClipAttrs {
  int64_t a_min = 0;
  int64_t a_max = 0;
};

}  // namespace cvm
