// max_pool2d: edge cases and one test per constraint label (spec/ops/max_pool2d.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(max_pool2d, padding_is_ignored_not_zero) {
  // All-negative input with padding (1, 0): a zero pad would turn the top and
  // bottom rows into 0. Windows 2x1, stride 1: rows {0}, {0,1}, {1}.
  expect_outputs("max_pool2d", {{"pool_size", "(2, 1)"}, {"padding", "(1, 0)"}},
                 {T({1, 1, 2, 2}, 8, {-1, -5, -3, -2})},
                 {T({1, 1, 3, 2}, 8, {-1, -5, -1, -2, -3, -2})}, 2);
}

TEST(max_pool2d, one_entry_padding_pads_both_axes) {
  // padding "1" means (1, 1); 3x3 windows over a 1x1 input with padding 1 see only x.
  expect_outputs("max_pool2d", {{"pool_size", "(3, 3)"}, {"padding", "1"}},
                 {T({1, 1, 1, 1}, 8, {-7})}, {T({1, 1, 1, 1}, 8, {-7})}, 9);
  expect_outputs("max_pool2d", {{"pool_size", "[3, 3]"}, {"padding", "(1, 1)"}},
                 {T({1, 1, 1, 1}, 8, {-7})}, {T({1, 1, 1, 1}, 8, {-7})}, 9);
}

TEST(max_pool2d, batch_and_channel_are_pooled_separately) {
  // Each (n, c) plane has its own maximum; the planes must not mix.
  expect_outputs("max_pool2d", {{"pool_size", "(2, 2)"}},
                 {T({2, 2, 2, 2}, 8, {1, 2, 3, 4, -1, -2, -3, -4, 9, 0, 0, 0, 0, 0, 0, -9})},
                 {T({2, 2, 1, 1}, 8, {4, -1, 9, 0})}, 4);
}

TEST(max_pool2d, strides_skip_rows_and_columns) {
  // 1x1 windows with stride (2, 3) pick x[2i][3j]: OH = (3-1) div 2 + 1 = 2,
  // OW = (4-1) div 3 + 1 = 2.
  expect_outputs("max_pool2d", {{"pool_size", "(1, 1)"}, {"strides", "(2, 3)"}},
                 {T({1, 1, 3, 4}, 8, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})},
                 {T({1, 1, 2, 2}, 8, {1, 4, 9, 12})}, 1);
}

TEST(max_pool2d, ceil_mode_window_past_the_padded_edge) {
  // H = 4, KH = 3, PH = 1, SH = 2. ceil_mode: OH = (4 + 2 - 3 + 1) div 2 + 1 = 3; the last
  // window covers rows 3, 4, 5: row 4 is padding, row 5 lies beyond the padded input;
  // only row 3 counts.
  expect_outputs("max_pool2d",
                 {{"pool_size", "(3, 1)"},
                  {"strides", "(2, 1)"},
                  {"padding", "(1, 0)"},
                  {"ceil_mode", "true"}},
                 {T({1, 1, 4, 1}, 8, {4, -1, 7, -3})}, {T({1, 1, 3, 1}, 8, {4, 7, -3})}, 3);
  // Without ceil_mode: OH = 3 div 2 + 1 = 2.
  expect_outputs("max_pool2d",
                 {{"pool_size", "(3, 1)"}, {"strides", "(2, 1)"}, {"padding", "(1, 0)"}},
                 {T({1, 1, 4, 1}, 8, {4, -1, 7, -3})}, {T({1, 1, 2, 1}, 8, {4, 7})}, 3);
}

TEST(max_pool2d, window_as_large_as_the_padded_input) {
  // max_pool2d_c6 is inclusive: KH = H + 2PH = 5 gives one window over everything.
  expect_outputs("max_pool2d", {{"pool_size", "(5, 5)"}, {"padding", "1"}},
                 {T({1, 1, 3, 3}, 8, {-1, -2, -3, -4, -5, -6, -7, -8, -9})},
                 {T({1, 1, 1, 1}, 8, {-1})}, 25);
}

TEST(max_pool2d, max_pool2d_b1_and_b2_hold_at_precision_extremes) {
  // max_pool2d_b1 at p = 32; max_pool2d_b2: corner windows with padding PH = KH - 1 hold a
  // single real cell each.
  expect_outputs("max_pool2d", {{"pool_size", "(2, 2)"}, {"padding", "1"}},
                 {T({1, 1, 1, 2}, 32, {-2147483647, 2147483647})},
                 {T({1, 1, 2, 3}, 32,
                    {-2147483647, 2147483647, 2147483647, -2147483647, 2147483647, 2147483647})},
                 4);
  // p = 1: zeros only.
  expect_outputs("max_pool2d", {{"pool_size", "(1, 2)"}}, {filled({1, 1, 1, 2}, 1, 0)},
                 {T({1, 1, 1, 1}, 1, {0})}, 2);
}

TEST(max_pool2d, largest_stride_and_padding_are_accepted) {
  // Ranges are inclusive: stride 4096 and padding 4096 (with a window larger than the pad).
  // OH = (1 + 8192 - 4097) div 4096 + 1 = 2: rows -4096..0 and 0..4096, both only row 0.
  // OW = (2 - 1) div 4096 + 1 = 1: column 0.
  expect_outputs(
      "max_pool2d",
      {{"pool_size", "(4097, 1)"}, {"strides", "(4096, 4096)"}, {"padding", "(4096, 0)"}},
      {T({1, 1, 1, 2}, 8, {3, 5})}, {T({1, 1, 2, 1}, 8, {3, 3})}, 4097);
}

TEST(max_pool2d, max_pool2d_c1_rejects_other_layouts) {
  expect_rejected_types("max_pool2d_c1", "max_pool2d",
                           {{"pool_size", "(1, 1)"}, {"layout", "NHWC"}}, {{{1, 1, 2, 2}, 8}});
}

TEST(max_pool2d, max_pool2d_c2_needs_two_pool_sizes) {
  expect_rejected_types("max_pool2d_c2", "max_pool2d", {{"pool_size", "2"}},
                           {{{1, 1, 2, 2}, 8}});
  expect_rejected_types("max_pool2d_c2", "max_pool2d", {{"pool_size", "(1, 1, 1)"}},
                           {{{1, 1, 2, 2}, 8}});
}

TEST(max_pool2d, max_pool2d_c3_checks_strides) {
  const Types x{{{1, 1, 2, 2}, 8}};
  expect_rejected_types("max_pool2d_c3", "max_pool2d",
                           {{"pool_size", "(1, 1)"}, {"strides", "1"}}, x);
  expect_rejected_types("max_pool2d_c3", "max_pool2d",
                           {{"pool_size", "(1, 1)"}, {"strides", "(0, 1)"}}, x);
  expect_rejected_types("max_pool2d_c3", "max_pool2d",
                           {{"pool_size", "(1, 1)"}, {"strides", "(1, 4097)"}}, x);
}

TEST(max_pool2d, max_pool2d_c4_checks_padding) {
  const Types x{{{1, 1, 2, 2}, 8}};
  expect_rejected_types("max_pool2d_c4", "max_pool2d",
                           {{"pool_size", "(2, 2)"}, {"padding", "()"}}, x);
  expect_rejected_types("max_pool2d_c4", "max_pool2d",
                           {{"pool_size", "(2, 2)"}, {"padding", "(0, 0, 0)"}}, x);
  expect_rejected_types("max_pool2d_c4", "max_pool2d",
                           {{"pool_size", "(2, 2)"}, {"padding", "(-1, 0)"}}, x);
  expect_rejected_types("max_pool2d_c4", "max_pool2d",
                           {{"pool_size", "(2, 2)"}, {"padding", "4097"}}, x);
}

TEST(max_pool2d, max_pool2d_c5_needs_rank_4) {
  expect_rejected_types("max_pool2d_c5", "max_pool2d", {{"pool_size", "(1, 1)"}},
                           {{{1, 2, 2}, 8}});
}

TEST(max_pool2d, max_pool2d_c6_window_within_padded_input) {
  // KH = 6 > H + 2PH = 5.
  expect_rejected_types("max_pool2d_c6", "max_pool2d",
                           {{"pool_size", "(6, 1)"}, {"padding", "1"}}, {{{1, 1, 3, 3}, 8}});
  expect_rejected_types("max_pool2d_c6", "max_pool2d", {{"pool_size", "(1, 4)"}},
                           {{{1, 1, 3, 3}, 8}});
  expect_rejected_types("max_pool2d_c6", "max_pool2d", {{"pool_size", "(-1, 1)"}},
                           {{{1, 1, 3, 3}, 8}});
}

TEST(max_pool2d, max_pool2d_c7_padding_below_window) {
  // PH = KH is rejected (a first window of padding only); so is a zero window.
  expect_rejected_types("max_pool2d_c7", "max_pool2d",
                           {{"pool_size", "(1, 2)"}, {"padding", "1"}}, {{{1, 1, 3, 3}, 8}});
  expect_rejected_types("max_pool2d_c7", "max_pool2d", {{"pool_size", "(0, 1)"}},
                           {{{1, 1, 3, 3}, 8}});
}

TEST(max_pool2d, max_pool2d_c8_last_window_must_start_inside) {
  // H = 5, KH = 2, PH = 1, SH = 4, ceil_mode: OH = (5 + 2 - 2 + 3) div 4 + 1 = 3 and the
  // last window starts at 2*4 - 1 = 7 >= 5.
  const AttrMap a{
      {"pool_size", "(2, 1)"}, {"strides", "(4, 1)"}, {"padding", "(1, 0)"}, {"ceil_mode", "true"}};
  expect_rejected_types("max_pool2d_c8", "max_pool2d", a, {{{1, 1, 5, 1}, 8}});
  // Same without ceil_mode: OH = 5 div 4 + 1 = 2, last start 3 < 5, accepted.
  expect_outputs("max_pool2d",
                 {{"pool_size", "(2, 1)"}, {"strides", "(4, 1)"}, {"padding", "(1, 0)"}},
                 {T({1, 1, 5, 1}, 8, {1, 2, 3, 4, 5})}, {T({1, 1, 2, 1}, 8, {1, 5})}, 2);
}

TEST(max_pool2d, missing_pool_size_is_attr_c2) {
  expect_rejected_types("attr_c2", "max_pool2d", {}, {{{1, 1, 2, 2}, 8}});
}

TEST(max_pool2d, max_pool2d_b3_cells_past_the_padded_edge_are_skipped) {
  // max_pool2d_b3: H = W = 3, K = S = 2, P = 0, ceil_mode: the last window covers rows (and
  // columns) 2 and 3; row 3 = H + P lies past the padded input and is skipped, not read (nor
  // read as 0: the values are negative).
  expect_outputs("max_pool2d", {{"pool_size", "(2, 2)"}, {"strides", "(2, 2)"}, {"ceil_mode", "true"}},
                 {T({1, 1, 3, 3}, 8, {-1, -2, -3, -4, -5, -6, -7, -8, -9})},
                 {T({1, 1, 2, 2}, 8, {-1, -3, -7, -9})}, 4);
}

}  // namespace
}  // namespace cvm::oracle
