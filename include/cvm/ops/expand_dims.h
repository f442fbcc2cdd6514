// Attributes of expand_dims (spec/ops/expand_dims.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct ExpandDimsAttrs {
  int64_t axis = 0;
  int64_t num_newaxis = 1;
};

}  // namespace cvm
