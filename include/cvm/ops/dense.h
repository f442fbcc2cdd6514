// Attributes of dense (spec/ops/dense.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct DenseAttrs {
  int64_t units = 0;
  bool use_bias = true;
};

}  // namespace cvm
