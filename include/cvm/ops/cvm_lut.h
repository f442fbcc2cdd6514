// Attributes of cvm_lut (spec/ops/cvm_lut.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct CvmLutAttrs {
  int64_t in_dim = 0;  // must equal the table's element count
};

}  // namespace cvm
