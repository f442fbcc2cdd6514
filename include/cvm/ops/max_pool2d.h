// Attributes of max_pool2d (spec/ops/max_pool2d.rst).
#pragma once

#include <cstdint>
#include <string>

namespace cvm {

/// The parsed attributes of max_pool2d (NCHW). The page's tuples pool_size,
/// strides and padding are stored as one field per spatial axis; a 1-entry
/// padding (P) has been expanded to PH = PW = P.
struct MaxPool2dAttrs {
  int64_t pool_h = 0;    ///< KH = pool_size[0], the window height; PH < KH <= H + 2 PH.
  int64_t pool_w = 0;    ///< KW = pool_size[1], the window width; PW < KW <= W + 2 PW.
  int64_t stride_h = 1;  ///< SH, the vertical step between windows, in [1, 4096].
  int64_t stride_w = 1;  ///< SW, the horizontal step between windows, in [1, 4096].
  int64_t pad_h = 0;     ///< PH, rows of padding above and below, in [0, 4096].
  int64_t pad_w = 0;     ///< PW, columns of padding left and right, in [0, 4096].
  /// Whether the output extent rounds the last partial window up (true) or
  /// drops it (false).
  bool ceil_mode = false;
};

}  // namespace cvm
