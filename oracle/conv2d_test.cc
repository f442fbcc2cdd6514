// conv2d: edge cases and one test per constraint label (spec/ops/conv2d.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

// A 1x1, no-bias convolution of one channel: the smallest valid application.
AttrMap base(AttrMap extra = {}) {
  AttrMap a = {{"channels", "1"}, {"kernel_size", "(1, 1)"}, {"use_bias", "false"}};
  for (const auto& [k, v] : extra) a[k] = v;
  return a;
}
const Types kBaseTypes = {{{1, 1, 2, 2}, 8}, {{1, 1, 1, 1}, 8}};

TEST(conv2d, filter_is_not_flipped_and_output_is_row_major) {
  // Cross-correlation, not convolution: w[0, 0] multiplies the window's top-left cell.
  // x = 1..9 (3x3), w = [[1, 2], [-1, 0]]: y[r, q] = x[r, q] + 2 x[r, q+1] - x[r+1, q].
  // K = 4: p = 5 + 3 + bits(4) = 11; gas 3 * 4.
  expect_outputs("conv2d", base({{"kernel_size", "(2, 2)"}}),
                 {T({1, 1, 3, 3}, 5, {1, 2, 3, 4, 5, 6, 7, 8, 9}), T({1, 1, 2, 2}, 3, {1, 2, -1, 0})},
                 {T({1, 1, 2, 2}, 11, {1, 3, 7, 9})}, 12);
}

TEST(conv2d, groups_map_output_channel_to_its_group_inputs) {
  // C = 4, O = 4, g = 2: OPG = 2, ICG = 2. Output channels 0, 1 read input channels 0, 1;
  // output channels 2, 3 read input channels 2, 3 (o div OPG, not o mod g).
  // x = (1, 3, 9, 27), w[o] = (1, 2), (-1, 1), (1, 2), (2, -1):
  // y = 1 + 6 = 7, -1 + 3 = 2, 9 + 54 = 63, 18 - 27 = -9. K = 2: p = 7 + 3 + 2 = 12, gas 6.
  expect_outputs("conv2d", base({{"channels", "4"}, {"groups", "2"}}),
                 {T({1, 4, 1, 1}, 7, {1, 3, 9, 27}), T({4, 2, 1, 1}, 3, {1, 2, -1, 1, 1, 2, 2, -1})},
                 {T({1, 4, 1, 1}, 12, {7, 2, 63, -9})}, 6);
}

TEST(conv2d, depthwise_groups_equal_channels) {
  // g = C = O = 3 (ICG = OPG = 1), two batches: y[n, o] = x[n, o] * w[o]. Distinguishes the
  // batch offset n * C * H * W of x from a per-group offset. K = 1: p = 4 + 3 + 1 = 8, gas 3.
  expect_outputs("conv2d", base({{"channels", "3"}, {"groups", "3"}}),
                 {T({2, 3, 1, 1}, 4, {1, 2, 3, 4, 5, 6}), T({3, 1, 1, 1}, 3, {1, -2, 3})},
                 {T({2, 3, 1, 1}, 8, {1, -4, 9, 4, -10, 18})}, 3);
}

TEST(conv2d, groups_with_several_output_channels_per_input_group) {
  // C = 2, O = 4, g = 2: ICG = 1, OPG = 2. Output channels 0, 1 read input channel 0,
  // 2, 3 read input channel 1. x = (5, 7), w = (1, 2, 3, -1): y = 5, 10, 21, -7.
  expect_outputs("conv2d", base({{"channels", "4"}, {"groups", "2"}}),
                 {T({1, 2, 1, 1}, 4, {5, 7}), T({4, 1, 1, 1}, 3, {1, 2, 3, -1})},
                 {T({1, 4, 1, 1}, 8, {5, 10, 21, -7})}, 3);
}

TEST(conv2d, dilation_spreads_the_kernel) {
  // 2x2 kernel with dilation 2 covers the corners of a 3x3 input: O_H = (3 - 3) div 1 + 1 = 1.
  // y = 1*1 + 2*3 + 3*7 + 4*9 = 64. K = 4: p = 5 + 4 + 3 = 12.
  expect_outputs("conv2d", base({{"kernel_size", "(2, 2)"}, {"dilation", "(2, 2)"}}),
                 {T({1, 1, 3, 3}, 5, {1, 2, 3, 4, 5, 6, 7, 8, 9}), T({1, 1, 2, 2}, 4, {1, 2, 3, 4})},
                 {T({1, 1, 1, 1}, 12, {64})}, 12);
}

TEST(conv2d, asymmetric_stride_and_padding_and_floor_of_output_size) {
  // strides (2, 1), padding (0, 1), kernel (1, 2) on a 2x3 input:
  // O_H = (2 - 1) div 2 + 1 = 1 (floor, not ceil), O_W = (3 + 2 - 2) div 1 + 1 = 4.
  // y[0, q] = xpad(0, q - 1) * 1 + xpad(0, q) * 10: 0 + 10, 1 + 20, 2 + 30, 3 + 0.
  // Mixing up H and W in strides or padding gives another shape. K = 2: p = 4 + 5 + 2 = 11.
  expect_outputs("conv2d",
                 base({{"kernel_size", "(1, 2)"}, {"strides", "(2, 1)"}, {"padding", "(0, 1)"}}),
                 {T({1, 1, 2, 3}, 4, {1, 2, 3, 4, 5, 6}), T({1, 1, 1, 2}, 5, {1, 10})},
                 {T({1, 1, 1, 4}, 11, {10, 21, 32, 3})}, 6);
}

TEST(conv2d, windows_entirely_in_padding_give_the_bias) {
  // 1x1 input, padding (1, 1), 1x1 kernel: a 3x3 output whose 8 border windows read only
  // padding (0) and yield the bias 7; the centre is 5 * 2 + 7 = 17.
  // p = 4 + 3 + 1 = 8, p_y = max(8, 4) + 1 = 9, gas 3 + 1.
  expect_outputs("conv2d", base({{"padding", "(1, 1)"}, {"use_bias", "true"}}),
                 {T({1, 1, 1, 1}, 4, {5}), T({1, 1, 1, 1}, 3, {2}), T({1}, 4, {7})},
                 {T({1, 1, 3, 3}, 9, {7, 7, 7, 7, 17, 7, 7, 7, 7})}, 4);
}

TEST(conv2d, attribute_range_maxima_are_inclusive) {
  // strides, padding and dilation 4096 are accepted (inclusive upper ends). One input cell,
  // padding 4096: the dilated 2x2 kernel spans 4097 <= 1 + 8192 cells, O_H = 4096 div 4096 + 1
  // = 2. Output (r, q) reads the real cell with kernel tap (1 - r, 1 - q):
  // y = [[3*4, 3*3], [3*2, 3*1]]. K = 4: p = 3 + 4 + 3 = 10.
  expect_outputs("conv2d",
                 base({{"kernel_size", "(2, 2)"}, {"strides", "(4096, 4096)"},
                       {"padding", "(4096, 4096)"}, {"dilation", "(4096, 4096)"}}),
                 {T({1, 1, 1, 1}, 3, {3}), T({1, 1, 2, 2}, 4, {1, 2, 3, 4})},
                 {T({1, 1, 2, 2}, 10, {12, 9, 6, 3})}, 12);
}

TEST(conv2d, dilated_kernel_equal_to_padded_input_fits) {
  // D (K - 1) + 1 = 5 = H + 2P = 3 + 2: accepted, one output row/column (the bound is <=).
  // The taps sit at rows/columns -1 and 3, both padding, so the result is 0.
  expect_outputs("conv2d",
                 base({{"kernel_size", "(2, 2)"}, {"dilation", "(4, 4)"}, {"padding", "(1, 1)"}}),
                 {T({1, 1, 3, 3}, 5, {1, 2, 3, 4, 5, 6, 7, 8, 9}), T({1, 1, 2, 2}, 3, {1, 1, 1, 1})},
                 {T({1, 1, 1, 1}, 11, {0})}, 12);
}

TEST(conv2d, optional_string_attributes_accept_their_documented_values) {
  // Explicit layouts, out_layout NCHW and out_dtype same / int32 change nothing.
  expect_outputs("conv2d",
                 base({{"layout", "NCHW"}, {"kernel_layout", "OIHW"}, {"out_layout", "NCHW"},
                       {"out_dtype", "int32"}, {"groups", "1"}}),
                 {T({1, 1, 1, 2}, 8, {3, -4}), T({1, 1, 1, 1}, 8, {5})},
                 {T({1, 1, 1, 2}, 17, {15, -20})}, 3);
  expect_outputs("conv2d", base({{"out_layout", "__undef__"}, {"out_dtype", "same"}}),
                 {T({1, 1, 1, 2}, 8, {3, -4}), T({1, 1, 1, 1}, 8, {5})},
                 {T({1, 1, 1, 2}, 17, {15, -20})}, 3);
}

TEST(conv2d, power_of_two_k_and_bias_precision_above_product) {
  // K = 1 * 2 * 2 = 4: bits(4) = 3 (log2 4 + 1), p = 2 + 2 + 3 = 7; p_b = 12 > 7 gives
  // p_y = 13, not 8. y = (1 + 1 + 1 - 1) + 2047 = 2049.
  expect_outputs("conv2d", base({{"kernel_size", "(2, 2)"}, {"use_bias", "true"}}),
                 {T({1, 1, 2, 2}, 2, {1, 1, 1, 1}), T({1, 1, 2, 2}, 2, {1, 1, 1, -1}),
                  T({1}, 12, {2047})},
                 {T({1, 1, 1, 1}, 13, {2049})}, 13);
}

TEST(conv2d, conv2d_b1_and_conv2d_b2_hold_at_precision_8_extremes_without_bias) {
  // conv2d_b1, conv2d_b2: K = C = 65535 (1x1 kernel), the largest K with p = 16 + 16 = 32.
  // All 127 times all -127: y = -65535 * 16129 = -1057014015, within R(32).
  const int64_t c = 65535;
  expect_outputs("conv2d", base({{"channels", "1"}}),
                 {filled({1, c, 1, 1}, 8, 127), filled({1, c, 1, 1}, 8, -127)},
                 {T({1, 1, 1, 1}, 32, {-1057014015})}, 3 * c);
}

TEST(conv2d, conv2d_b2_holds_at_precision_8_extremes_with_widest_bias) {
  // conv2d_b2 with bias: C = 4681 and a 7x1 kernel give K = 32767 (p = 8 + 8 + 15 = 31);
  // p_b = 31, p_y = 32: (-127)^2 * 32767 + (2^30 - 1) = 528498943 + 1073741823 = 1602240766.
  const int64_t c = 4681;  // 4681 * 7 = 32767
  expect_outputs("conv2d", base({{"kernel_size", "(7, 1)"}, {"use_bias", "true"}}),
                 {filled({1, c, 7, 1}, 8, -127), filled({1, c, 7, 1}, 8, -127),
                  T({1}, 31, {1073741823})},
                 {T({1, 1, 1, 1}, 32, {1602240766})}, 3 * 32767 + 1);
}

TEST(conv2d, output_precision_above_32_is_rejected) {
  // K = 65536 = 4 * 16384 channels: p = 8 + 8 + 17 = 33 (op_c3).
  expect_rejected_types("op_c3", "conv2d", base({{"kernel_size", "(2, 2)"}}),
                           {{{1, 16384, 2, 2}, 8}, {{1, 16384, 2, 2}, 8}});
  // A bias of precision 32 always gives max(p, 32) + 1 = 33.
  expect_rejected_types("op_c3", "conv2d", base({{"use_bias", "true"}}),
                           {{{1, 1, 1, 1}, 1}, {{1, 1, 1, 1}, 1}, {{1}, 32}});
}

TEST(conv2d, use_bias_defaults_to_true_and_sets_the_input_count) {
  expect_rejected_types("op_c1", "conv2d", {{"channels", "1"}, {"kernel_size", "(1, 1)"}},
                           kBaseTypes);
  expect_rejected_types("op_c1", "conv2d", base(),
                           {{{1, 1, 2, 2}, 8}, {{1, 1, 1, 1}, 8}, {{1}, 8}});
}

TEST(conv2d, required_attributes) {
  expect_rejected_types("attr_c2", "conv2d", {{"kernel_size", "(1, 1)"}, {"use_bias", "0"}},
                           kBaseTypes);
  expect_rejected_types("attr_c2", "conv2d", {{"channels", "1"}, {"use_bias", "0"}},
                           kBaseTypes);
}

TEST(conv2d, conv2d_c1_rejects_channels_below_one) {
  expect_rejected_types("conv2d_c1", "conv2d", base({{"channels", "0"}}), kBaseTypes);
  expect_rejected_types("conv2d_c1", "conv2d", base({{"channels", "-2"}}), kBaseTypes);
  // With a bias, upstream's bias check comes first and rejects it (runtime).
  expect_rejected_types("conv2d_c12", "conv2d", base({{"channels", "-2"}, {"use_bias", "true"}}),
                        {{{1, 1, 2, 2}, 8}, {{1, 1, 1, 1}, 8}, {{1}, 8}});
}

TEST(conv2d, conv2d_c2_rejects_bad_kernel_size) {
  expect_rejected_types("conv2d_c2", "conv2d", base({{"kernel_size", "1"}}), kBaseTypes);
  expect_rejected_types("conv2d_c2", "conv2d", base({{"kernel_size", "(1, 1, 1)"}}), kBaseTypes);
  expect_rejected_types("conv2d_c2", "conv2d", base({{"kernel_size", "(0, 1)"}}), kBaseTypes);
  expect_rejected_types("conv2d_c2", "conv2d", base({{"kernel_size", "(1, 16777217)"}}),
                           kBaseTypes);
}

TEST(conv2d, conv2d_c3_rejects_bad_strides) {
  expect_rejected_types("conv2d_c3", "conv2d", base({{"strides", "(0, 1)"}}), kBaseTypes);
  expect_rejected_types("conv2d_c3", "conv2d", base({{"strides", "(1, 4097)"}}), kBaseTypes);
  expect_rejected_types("conv2d_c3", "conv2d", base({{"strides", "(1,)"}}), kBaseTypes);
  expect_rejected_types("conv2d_c3", "conv2d", base({{"strides", "()"}}), kBaseTypes);
}

TEST(conv2d, conv2d_c4_rejects_bad_padding) {
  expect_rejected_types("conv2d_c4", "conv2d", base({{"padding", "(-1, 0)"}}), kBaseTypes);
  expect_rejected_types("conv2d_c4", "conv2d", base({{"padding", "(0, 4097)"}}), kBaseTypes);
  expect_rejected_types("conv2d_c4", "conv2d", base({{"padding", "1"}}), kBaseTypes);
}

TEST(conv2d, conv2d_c5_rejects_bad_dilation) {
  expect_rejected_types("conv2d_c5", "conv2d", base({{"dilation", "(1, 0)"}}), kBaseTypes);
  expect_rejected_types("conv2d_c5", "conv2d", base({{"dilation", "(4097, 1)"}}), kBaseTypes);
  expect_rejected_types("conv2d_c5", "conv2d", base({{"dilation", "[1, 1, 1]"}}), kBaseTypes);
}

TEST(conv2d, conv2d_c6_rejects_groups_below_one) {
  expect_rejected_types("conv2d_c6", "conv2d", base({{"groups", "0"}}), kBaseTypes);
  expect_rejected_types("conv2d_c6", "conv2d", base({{"groups", "-1"}}), kBaseTypes);
}

TEST(conv2d, conv2d_c7_rejects_other_layouts) {
  expect_rejected_types("conv2d_c7", "conv2d", base({{"layout", "NHWC"}}), kBaseTypes);
  expect_rejected_types("conv2d_c7", "conv2d", base({{"layout", "nchw"}}), kBaseTypes);
  expect_rejected_types("conv2d_c7", "conv2d", base({{"kernel_layout", "HWIO"}}), kBaseTypes);
  expect_rejected_types("conv2d_c7", "conv2d", base({{"out_layout", "NHWC"}}), kBaseTypes);
  expect_rejected_types("conv2d_c15", "conv2d", base({{"out_layout", ""}}), kBaseTypes);
  // In upstream's order: layout and kernel_layout before out_layout is parsed.
  expect_rejected_types("conv2d_c7", "conv2d", base({{"layout", "NHWC"}, {"out_layout", ""}}),
                        kBaseTypes);
}

// Upstream's type check: the output type is out_dtype and must be int32.
TEST(conv2d, conv2d_c8_rejects_out_dtype_other_than_same_or_int32) {
  expect_rejected_types("conv2d_c8", "conv2d", base({{"out_dtype", "float32"}}), kBaseTypes);
  expect_rejected_types("conv2d_c8", "conv2d", base({{"out_dtype", "int8"}}), kBaseTypes);
  expect_rejected_types("conv2d_c8", "conv2d", base({{"out_dtype", "int64"}}), kBaseTypes);
}

// Not a name of the enumeration: upstream's parser rejects it (attr_c3, runtime).
TEST(conv2d, unknown_out_dtype_is_attr_c3) {
  expect_rejected_types("attr_c3", "conv2d", base({{"out_dtype", "int7"}}), kBaseTypes);
  expect_rejected_types("attr_c3", "conv2d", base({{"out_dtype", "-1"}}), kBaseTypes);
  expect_rejected_types("attr_c3", "conv2d", base({{"out_dtype", " int32"}}), kBaseTypes);
}

// Strings are compared as written: upstream does not trim them.
TEST(conv2d, layouts_are_not_trimmed) {
  expect_rejected_types("conv2d_c7", "conv2d", base({{"layout", " NCHW"}}), kBaseTypes);
  expect_rejected_types("conv2d_c7", "conv2d", base({{"kernel_layout", "OIHW "}}), kBaseTypes);
}

// out_layout goes through upstream's layout parser: not a layout at all is a
// runtime error, a layout other than NCHW a logic one.
TEST(conv2d, conv2d_c15_rejects_out_layout_outside_the_layout_grammar) {
  for (const char* bad : {" NCHW", "NCHW ", "nchw", "", "NCHWN", "NCHW4c4c", "NcHW",
                          "NC_HW", "99999999999C"})
    expect_rejected_types("conv2d_c15", "conv2d", base({{"out_layout", bad}}), kBaseTypes);
  // Layouts that parse, but are not NCHW: conv2d_c7.
  for (const char* layout : {"NHWC", "NCHW4", "NCHW4c", "NCHW1c", "C"})
    expect_rejected_types("conv2d_c7", "conv2d", base({{"out_layout", layout}}), kBaseTypes);
}

TEST(conv2d, conv2d_c9_rejects_x_of_rank_other_than_4) {
  expect_rejected_types("conv2d_c9", "conv2d", base(), {{{1, 2, 2}, 8}, {{1, 1, 1, 1}, 8}});
  expect_rejected_types("conv2d_c9", "conv2d", base(),
                           {{{1, 1, 1, 2, 2}, 8}, {{1, 1, 1, 1}, 8}});
}

TEST(conv2d, conv2d_c10_rejects_groups_not_dividing_channels) {
  // g = 2 does not divide C = 3 (O = 2), nor O = 3 (C = 2).
  expect_rejected_types("conv2d_c10", "conv2d", base({{"channels", "2"}, {"groups", "2"}}),
                           {{{1, 3, 2, 2}, 8}, {{2, 1, 1, 1}, 8}});
  expect_rejected_types("conv2d_c10", "conv2d", base({{"channels", "3"}, {"groups", "2"}}),
                           {{{1, 2, 2, 2}, 8}, {{3, 1, 1, 1}, 8}});
}

TEST(conv2d, conv2d_c11_rejects_w_not_matching_the_attributes) {
  const AttrMap a = base({{"channels", "2"}, {"kernel_size", "(2, 3)"}, {"groups", "2"}});
  const Shape x{1, 4, 5, 5};  // ICG = 2; w must be (2, 2, 2, 3)
  expect_rejected_types("conv2d_c11", "conv2d", a, {{x, 8}, {{3, 2, 2, 3}, 8}});  // O
  expect_rejected_types("conv2d_c11", "conv2d", a, {{x, 8}, {{2, 4, 2, 3}, 8}});  // C, not C/g
  expect_rejected_types("conv2d_c11", "conv2d", a, {{x, 8}, {{2, 2, 3, 2}, 8}});  // KH/KW swapped
  expect_rejected_types("conv2d_c11", "conv2d", a, {{x, 8}, {{2, 2, 6}, 8}});     // rank 3
  // The matching shape passes validation.
  EXPECT_NO_THROW(validate_op("conv2d", a, {{x, 8}, {{2, 2, 2, 3}, 8}}));
}

TEST(conv2d, conv2d_c12_rejects_b_not_channels) {
  expect_rejected_types("conv2d_c12", "conv2d", base({{"use_bias", "true"}}),
                           {{{1, 1, 2, 2}, 8}, {{1, 1, 1, 1}, 8}, {{2}, 8}});
  expect_rejected_types("conv2d_c12", "conv2d", base({{"use_bias", "true"}}),
                           {{{1, 1, 2, 2}, 8}, {{1, 1, 1, 1}, 8}, {{1, 1}, 8}});
}

TEST(conv2d, conv2d_c13_rejects_a_dilated_kernel_larger_than_the_padded_input) {
  // 3x3 kernel on a 2x2 input without padding; then 2x2 dilated by 4 (extent 5) on 2 + 2*1 = 4.
  expect_rejected_types("conv2d_c13", "conv2d", base({{"kernel_size", "(3, 3)"}}),
                           {{{1, 1, 2, 2}, 8}, {{1, 1, 3, 3}, 8}});
  expect_rejected_types(
      "conv2d_c13", "conv2d",
      base({{"kernel_size", "(1, 2)"}, {"dilation", "(1, 4)"}, {"padding", "(0, 1)"}}),
      {{{1, 1, 2, 2}, 8}, {{1, 1, 1, 2}, 8}});
}

TEST(conv2d, conv2d_c14_rejects_operand_precision_above_8) {
  expect_rejected_types("conv2d_c14", "conv2d", base(), {{{1, 1, 2, 2}, 9}, {{1, 1, 1, 1}, 8}});
  expect_rejected_types("conv2d_c14", "conv2d", base(), {{{1, 1, 2, 2}, 8}, {{1, 1, 1, 1}, 9}});
}

TEST(conv2d, conv2d_b3_reads_reach_the_padded_edges_and_the_last_group) {
  // conv2d_b3: groups 2, channels 4 (OPG = 2, ICG = 1), a 2x2 kernel with dilation 2 and
  // padding 1 on a 2x2 plane: O_H = (2 + 2 - 3) div 1 + 1 = 2. Output row r reads rows
  // r - 1 and r + 1, so the taps reach row -P = -1 and row H + P - 1 = 2 (padding), and each
  // output reads exactly one cell of x: y[o, r, q] = w[o, 0, 1 - r, 1 - q] x[o div 2, 1 - r, 1 - q].
  // Output channels 2 and 3 read input channel (o div OPG) ICG = 1, the last. K = 4:
  // p = 5 + 4 + 3 = 12, gas 12.
  expect_outputs("conv2d",
                 base({{"channels", "4"}, {"groups", "2"}, {"kernel_size", "(2, 2)"},
                       {"dilation", "(2, 2)"}, {"padding", "(1, 1)"}}),
                 {T({1, 2, 2, 2}, 5, {1, 2, 3, 4, 5, 6, 7, 8}),
                  T({4, 1, 2, 2}, 4, {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4})},
                 {T({1, 4, 2, 2}, 12, {4, 3, 2, 1, 8, 6, 4, 2, 24, 21, 18, 15, 32, 28, 24, 20})}, 12);
}

}  // namespace
}  // namespace cvm::oracle
