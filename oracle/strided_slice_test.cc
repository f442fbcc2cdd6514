// strided_slice: edge cases and one test per constraint label (spec/ops/strided_slice.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

const Tensor kX4 = T({4}, 8, {10, 20, 30, 40});

TEST(strided_slice, omitted_end_stops_axis_0_at_1) {
  // Distinguishes the upstream default end (1,) from "whole axis": only row 0 survives, and the
  // other axes (end padded with d_i) stay whole.
  expect_outputs("strided_slice", {{"begin", "(0, 1)"}},
                 {T({3, 3}, 8, {1, 2, 3, 4, 5, 6, 7, 8, 9})}, {T({1, 2}, 8, {2, 3})}, 1);
}

TEST(strided_slice, empty_end_tuple_means_whole_axes) {
  // Distinguishes end "()" (every axis padded with d_i) from an omitted end ((1,)).
  expect_outputs("strided_slice", {{"begin", "(1,)"}, {"end", "()"}},
                 {T({3, 2}, 8, {1, 2, 3, 4, 5, 6})}, {T({2, 2}, 8, {3, 4, 5, 6})});
}

TEST(strided_slice, omitted_begin_is_zero) {
  // Distinguishes begin padding 0 from d_i: end (2, 1) with no begin keeps [0,2) x [0,1).
  expect_outputs("strided_slice", {{"end", "(2, 1)"}}, {T({3, 2}, 8, {1, 2, 3, 4, 5, 6})},
                 {T({2, 1}, 8, {1, 3})});
}

TEST(strided_slice, stride_rounds_size_up) {
  // Distinguishes ceil from floor for the size: [0,4) stride 3 holds 0 and 3 (size 2, not 1).
  expect_outputs("strided_slice", {{"begin", "0"}, {"end", "4"}, {"stride", "3"}}, {kX4},
                 {T({2}, 8, {10, 40})});
}

TEST(strided_slice, end_is_clamped_to_dim_for_positive_stride) {
  // Distinguishes the clamp to [0, n] from the doc's [0, n-1]: end 100 keeps the last element.
  expect_outputs("strided_slice", {{"begin", "2"}, {"end", "100"}}, {kX4}, {T({2}, 8, {30, 40})});
  // A begin far below -n clamps to 0.
  expect_outputs("strided_slice", {{"begin", "-100"}, {"end", "2"}}, {kX4},
                 {T({2}, 8, {10, 20})});
}

TEST(strided_slice, negative_begin_and_end_count_from_the_end) {
  // begin -3 -> 1 and end -1 -> 3 (positive stride).
  expect_outputs("strided_slice", {{"begin", "-3"}, {"end", "-1"}}, {kX4}, {T({2}, 8, {20, 30})});
}

TEST(strided_slice, negative_stride_clamps_to_minus_one_and_n_minus_one) {
  // begin 100 clamps to n-1 = 3 (not n); end -5 = -n-1 becomes -1, i.e. through index 0.
  expect_outputs("strided_slice", {{"begin", "100"}, {"end", "-5"}, {"stride", "-1"}}, {kX4},
                 {T({4}, 8, {40, 30, 20, 10})});
  // end -4 = -n becomes 0, which is excluded.
  expect_outputs("strided_slice", {{"begin", "3"}, {"end", "-4"}, {"stride", "-2"}}, {kX4},
                 {T({2}, 8, {40, 20})});
}

TEST(strided_slice, huge_strides_give_one_element) {
  // Distinguishes a careful ceil(|e-b|/|s|) from one that negates or adds to s: +-2^63 range
  // strides select exactly the begin element.
  expect_outputs("strided_slice", {{"begin", "3"}, {"end", "-100"}, {"stride", "-9223372036854775808"}},
                 {kX4}, {T({1}, 8, {40})});
  expect_outputs("strided_slice", {{"begin", "0"}, {"end", "4"}, {"stride", "9223372036854775807"}},
                 {kX4}, {T({1}, 8, {10})});
  // Extreme begin/end values still normalise and clamp without overflow.
  expect_outputs("strided_slice",
                 {{"begin", "-9223372036854775808"}, {"end", "9223372036854775807"}}, {kX4},
                 {T({4}, 8, {10, 20, 30, 40})});
}

TEST(strided_slice, entries_beyond_rank_are_ignored) {
  // Distinguishes ignoring extra entries (Quirk) from rejecting them: the second stride is 0
  // and the second begin/end describe an empty range, yet the rank-1 slice is fine.
  expect_outputs("strided_slice", {{"begin", "(1, 5)"}, {"end", "(3, 0)"}, {"stride", "(1, 0)"}},
                 {kX4}, {T({2}, 8, {20, 30})});
}

TEST(strided_slice, rank_3_mixed) {
  // x (2, 2, 3) = 0..11: axis 0 backwards from 1 (begin -1), axis 1 whole, axis 2 [0, 3) by 2.
  expect_outputs("strided_slice", {{"begin", "(-1, 0, 0)"}, {"end", "(-3, 2, 3)"}, {"stride", "(-1, 1, 2)"}},
                 {T({2, 2, 3}, 5, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})},
                 {T({2, 2, 2}, 5, {6, 8, 9, 11, 0, 2, 3, 5})});
}

TEST(strided_slice, strided_slice_b1_holds_at_precision_1_and_32) {
  // strided_slice_b1: values are copied; the precision is unchanged at both extremes.
  expect_outputs("strided_slice", {{"begin", "1"}, {"end", "3"}},
                 {T({3}, 32, {0, -2147483647, 2147483647})}, {T({2}, 32, {-2147483647, 2147483647})});
  expect_outputs("strided_slice", {{"begin", "0"}, {"end", "2"}}, {T({3}, 1, {0, 0, 0})},
                 {T({2}, 1, {0, 0})});
}

TEST(strided_slice, strided_slice_b2_holds_at_first_and_last_coordinates) {
  // strided_slice_b2: the source coordinates reach exactly 0 and d-1 in both directions.
  expect_outputs("strided_slice", {{"begin", "0"}, {"end", "4"}, {"stride", "3"}}, {kX4},
                 {T({2}, 8, {10, 40})});
  expect_outputs("strided_slice", {{"begin", "3"}, {"end", "-5"}, {"stride", "-3"}}, {kX4},
                 {T({2}, 8, {40, 10})});
}

TEST(strided_slice, strided_slice_c1_rejects_zero_stride) {
  expect_rejected("strided_slice_c1", "strided_slice", {{"begin", "0"}, {"end", "2"}, {"stride", "0"}},
                     {kX4});
  // c1 is checked on all axes before c2: axis 0 is empty, axis 1 has stride 0.
  expect_rejected_types("strided_slice_c1", "strided_slice",
                           {{"begin", "(2, 0)"}, {"end", "(2, 2)"}, {"stride", "(1, 0)"}},
                           {{{4, 4}, 8}});
}

TEST(strided_slice, strided_slice_c2_rejects_empty_ranges) {
  // begin == end.
  expect_rejected("strided_slice_c2", "strided_slice", {{"begin", "2"}, {"end", "2"}}, {kX4});
  // begin clamped to n for a positive stride.
  expect_rejected("strided_slice_c2", "strided_slice", {{"begin", "4"}, {"end", "100"}}, {kX4});
  // end -1 with a negative stride becomes n-1 = begin: it cannot mean "through index 0".
  expect_rejected("strided_slice_c2", "strided_slice", {{"begin", "3"}, {"end", "-1"}, {"stride", "-1"}},
                     {kX4});
  // Wrong direction: a negative stride with padded begin 0 and end n.
  expect_rejected_types("strided_slice_c2", "strided_slice",
                           {{"begin", "0"}, {"end", "1"}, {"stride", "(1, -1)"}}, {{{4, 4}, 8}});
  // Both below -n with a negative stride clamp to -1.
  expect_rejected("strided_slice_c2", "strided_slice",
                     {{"begin", "-100"}, {"end", "-100"}, {"stride", "-1"}}, {kX4});
  // The omitted end (1,) with begin 1 on axis 0.
  expect_rejected("strided_slice_c2", "strided_slice", {{"begin", "1"}}, {kX4});
}

TEST(strided_slice, unparsable_tuple_is_attr_c3) {
  expect_rejected("attr_c3", "strided_slice", {{"begin", "(1, x)"}}, {kX4});
}

TEST(strided_slice, strided_slice_b3_clamped_ends_keep_every_coordinate_inside) {
  // strided_slice_b3: a negative stride with begin 100 (clamped to d - 1 = 3) and end -100
  // (clamped to -1, so 0 is included): coordinates 3 and 3 - 3 = 0, both inside [0, 3].
  expect_outputs("strided_slice", {{"begin", "100"}, {"end", "-100"}, {"stride", "-3"}}, {kX4},
                 {T({2}, 8, {40, 10})});
}

}  // namespace
}  // namespace cvm::oracle
