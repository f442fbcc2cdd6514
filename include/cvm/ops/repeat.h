// Attributes of repeat (spec/ops/repeat.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct RepeatAttrs {
  int64_t repeats = 0;
  int64_t axis = 0;
};

}  // namespace cvm
