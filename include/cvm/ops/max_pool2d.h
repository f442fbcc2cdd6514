// Attributes of max_pool2d (spec/ops/max_pool2d.rst).
#pragma once

#include <cstdint>
#include <string>

namespace cvm {

struct MaxPool2dAttrs {
  int64_t pool_h = 0;   // KH = pool_size[0]
  int64_t pool_w = 0;   // KW = pool_size[1]
  int64_t stride_h = 1; // SH
  int64_t stride_w = 1; // SW
  int64_t pad_h = 0;    // PH
  int64_t pad_w = 0;    // PW
  bool ceil_mode = false;
};

}  // namespace cvm
