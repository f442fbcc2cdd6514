// Attributes of upsampling (spec/ops/upsampling.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct UpsamplingAttrs {
  int64_t scale = 1;
};

}  // namespace cvm
