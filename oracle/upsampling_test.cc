// upsampling: edge cases and one test per constraint label (spec/ops/upsampling.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(upsampling, scale_one_is_a_copy) {
  // The lower end of the scale range: y = x.
  expect_outputs("upsampling", {{"scale", "1"}}, {T({1, 1, 2, 2}, 8, {1, -2, 3, 4})},
                 {T({1, 1, 2, 2}, 8, {1, -2, 3, 4})}, 1);
}

TEST(upsampling, scale_three_keeps_channels_apart) {
  // Non-square planes and two channels: y[n][c][h][w] = x[n][c][h div 3][w div 3];
  // the channels must not mix.
  expect_outputs("upsampling", {{"scale", "3"}, {"layout", "NCHW"}, {"method", "NEAREST_NEIGHBOR"}},
                 {T({1, 2, 1, 2}, 8, {1, 2, -3, -4})},
                 {T({1, 2, 3, 6}, 8,
                    {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
                     -3, -3, -3, -4, -4, -4, -3, -3, -3, -4, -4, -4, -3, -3, -3, -4, -4, -4})},
                 1);
}

TEST(upsampling, batches_are_kept_apart) {
  expect_outputs("upsampling", {{"scale", "2"}}, {T({2, 1, 1, 1}, 8, {5, -6})},
                 {T({2, 1, 2, 2}, 8, {5, 5, 5, 5, -6, -6, -6, -6})}, 1);
}

TEST(upsampling, upsampling_b1_holds_at_precision_extremes) {
  // upsampling_b1: extreme values are copied unchanged at p = 32, and zeros at p = 1.
  expect_outputs("upsampling", {{"scale", "2"}}, {T({1, 1, 1, 2}, 32, {-2147483647, 2147483647})},
                 {T({1, 1, 2, 4}, 32,
                    {-2147483647, -2147483647, 2147483647, 2147483647, -2147483647, -2147483647,
                     2147483647, 2147483647})});
  expect_outputs("upsampling", {{"scale", "2"}}, {filled({1, 1, 1, 1}, 1, 0)},
                 {filled({1, 1, 2, 2}, 1, 0)});
}

TEST(upsampling, largest_scale_is_accepted) {
  // upsampling_c1 is inclusive: scale 4096 on a 1x1 plane gives (1, 1, 4096, 4096).
  const ValidatedOp v = validate_op("upsampling", {{"scale", "4096"}}, {{{1, 1, 1, 1}, 8}});
  ASSERT_EQ(v.outputs.size(), 1u);
  EXPECT_EQ(v.outputs[0], (TensorType{{1, 1, 4096, 4096}, 8}));
  EXPECT_EQ(v.gas_weight, 1);
}

TEST(upsampling, output_dims_above_the_limit_are_op_c2) {
  // 8193 * 2048 > 2^24.
  expect_rejected_types("op_c2", "upsampling", {{"scale", "2048"}}, {{{1, 1, 8193, 1}, 8}});
}

TEST(upsampling, upsampling_c1_rejects_scale_out_of_range) {
  expect_rejected_types("upsampling_c1", "upsampling", {{"scale", "0"}}, {{{1, 1, 1, 1}, 8}});
  expect_rejected_types("upsampling_c1", "upsampling", {{"scale", "4097"}}, {{{1, 1, 1, 1}, 8}});
  expect_rejected_types("upsampling_c1", "upsampling", {{"scale", "-2"}}, {{{1, 1, 1, 1}, 8}});
}

TEST(upsampling, upsampling_c2_rejects_other_layouts) {
  expect_rejected_types("upsampling_c2", "upsampling", {{"scale", "2"}, {"layout", "NHWC"}},
                           {{{1, 1, 1, 1}, 8}});
}

TEST(upsampling, upsampling_c3_rejects_other_methods) {
  expect_rejected_types("upsampling_c3", "upsampling", {{"scale", "2"}, {"method", "BILINEAR"}},
                           {{{1, 1, 1, 1}, 8}});
}

TEST(upsampling, upsampling_c4_needs_rank_4) {
  expect_rejected_types("upsampling_c4", "upsampling", {{"scale", "2"}}, {{{1, 1, 1}, 8}});
  expect_rejected_types("upsampling_c4", "upsampling", {{"scale", "2"}}, {{{1, 1, 1, 1, 1}, 8}});
}

TEST(upsampling, missing_scale_is_attr_c2) {
  expect_rejected_types("attr_c2", "upsampling", {}, {{{1, 1, 1, 1}, 8}});
}

TEST(upsampling, upsampling_b2_last_output_row_reads_the_last_input_row) {
  // upsampling_b2: scale 3, H = 2: output rows 3..5 read row 5 div 3 = 1 = H - 1, never row H.
  expect_outputs("upsampling", {{"scale", "3"}}, {T({1, 1, 2, 1}, 8, {1, -2})},
                 {T({1, 1, 6, 3}, 8, {1, 1, 1, 1, 1, 1, 1, 1, 1, -2, -2, -2, -2, -2, -2, -2, -2, -2})});
}

}  // namespace
}  // namespace cvm::oracle
