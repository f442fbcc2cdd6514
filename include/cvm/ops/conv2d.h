// Attributes of conv2d (spec/ops/conv2d.rst).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace cvm {

struct Conv2dAttrs {
  int64_t channels = 0;
  std::array<int64_t, 2> kernel_size{0, 0};  // (KH, KW)
  std::array<int64_t, 2> strides{1, 1};      // (SH, SW)
  std::array<int64_t, 2> padding{0, 0};      // (PH, PW)
  std::array<int64_t, 2> dilation{1, 1};     // (DH, DW)
  int64_t groups = 1;
  std::string layout = "NCHW";
  std::string kernel_layout = "OIHW";
  std::string out_layout = "__undef__";
  std::string out_dtype = "same";  // parsed and checked, otherwise ignored
  bool use_bias = true;
};

}  // namespace cvm
