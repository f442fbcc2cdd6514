// Attributes of conv2d (spec/ops/conv2d.rst).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace cvm {

/// The parsed attributes of conv2d (NCHW input, OIHW weights).
struct Conv2dAttrs {
  /// O, the number of output channels (filters); required. The weight's first
  /// dim must equal it (conv2d_c11).
  int64_t channels = 0;
  /// (KH, KW), the filter height and width in input elements before dilation;
  /// required, each in [1, 2^24].
  std::array<int64_t, 2> kernel_size{0, 0};
  /// (SH, SW), the step between neighbouring output positions, in input
  /// elements; each in [1, 4096].
  std::array<int64_t, 2> strides{1, 1};
  /// (PH, PW), the zero rows added above and below, and the zero columns added
  /// left and right, of every input plane; each in [0, 4096].
  std::array<int64_t, 2> padding{0, 0};
  /// (DH, DW), the distance between neighbouring filter taps, in input
  /// elements; each in [1, 4096].
  std::array<int64_t, 2> dilation{1, 1};
  /// The number of channel groups g: input channels C/g and output channels
  /// O/g per group; must divide both C and O.
  int64_t groups = 1;
  /// The input layout; only "NCHW" is accepted.
  std::string layout = "NCHW";
  /// The weight layout; only "OIHW" is accepted.
  std::string kernel_layout = "OIHW";
  /// The output layout: "__undef__" (the same as layout) or "NCHW".
  std::string out_layout = "__undef__";
  /// The output dtype name as written: "same" or "int32" pass conv2d_c8;
  /// otherwise it has no effect on the result.
  std::string out_dtype = "same";
  /// Whether a third input, the bias of shape (O), is added to every output
  /// position of its channel.
  bool use_bias = true;
};

}  // namespace cvm
