// slice_like: edge cases and one test per constraint label (spec/ops/slice_like.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

const Tensor kX34 = T({3, 4}, 5, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});

TEST(slice_like, empty_axis_crops_every_axis_from_zero) {
  // Distinguishes a prefix crop (start 0) from a centred or suffix crop.
  expect_outputs("slice_like", {}, {kX34, filled({2, 3}, 1, 0)},
                 {T({2, 3}, 5, {0, 1, 2, 4, 5, 6})}, 1);
}

TEST(slice_like, listed_axes_only) {
  // Distinguishes "listed axes only" from "every axis": axis 0 keeps x's 3 rows.
  expect_outputs("slice_like", {{"axis", "1"}}, {kX34, filled({1, 1}, 1, 0)},
                 {T({3, 1}, 5, {0, 4, 8})});
}

TEST(slice_like, ranks_may_differ_with_axes) {
  // Distinguishes the listed-axis rule from the empty-axis rule: like of rank 1 crops axis 0 of a
  // rank-3 x; negative -3 normalises with x's rank to 0.
  expect_outputs("slice_like", {{"axis", "(-3,)"}},
                 {T({2, 1, 2}, 8, {1, 2, 3, 4}), filled({1}, 1, 0)}, {T({1, 1, 2}, 8, {1, 2})});
  // like may also have the higher rank.
  expect_outputs("slice_like", {{"axis", "0"}}, {T({3}, 8, {7, 8, 9}), filled({2, 5}, 1, 0)},
                 {T({2}, 8, {7, 8})});
}

TEST(slice_like, repeated_axis_and_equal_length) {
  // A repeated axis has no extra effect; like equal to x on an axis keeps it whole.
  expect_outputs("slice_like", {{"axis", "(1, 1, -2)"}}, {kX34, filled({3, 2}, 1, 0)},
                 {T({3, 2}, 5, {0, 1, 4, 5, 8, 9})});
}

TEST(slice_like, like_values_and_precision_are_ignored) {
  // Distinguishes p_y = p_x from p_like or max: like has precision 32.
  expect_outputs("slice_like", {}, {T({2}, 3, {-3, 3}), T({1}, 32, {-2147483647})},
                 {T({1}, 3, {-3})});
}

TEST(slice_like, slice_like_b1_holds_at_precision_1_and_32) {
  // slice_like_b1: copied values keep the precision at both extremes.
  expect_outputs("slice_like", {}, {T({3}, 32, {2147483647, -2147483647, 0}), filled({2}, 8, 0)},
                 {T({2}, 32, {2147483647, -2147483647})});
  expect_outputs("slice_like", {}, {T({3}, 1, {0, 0, 0}), filled({2}, 8, 0)}, {T({2}, 1, {0, 0})});
}

TEST(slice_like, slice_like_c1_rejects_rank_mismatch_with_empty_axis) {
  expect_rejected_types("slice_like_c1", "slice_like", {}, {{{3, 4}, 8}, {{3}, 8}});
  expect_rejected_types("slice_like_c1", "slice_like", {{"axis", "()"}}, {{{3}, 8}, {{1, 1}, 8}});
}

TEST(slice_like, slice_like_c2_rejects_axes_outside_both_ranks) {
  // -1 normalises with n_x = 2 to 1, which like (rank 1) does not have (the Quirk).
  expect_rejected_types("slice_like_c2", "slice_like", {{"axis", "-1"}}, {{{3, 4}, 8}, {{3}, 8}});
  expect_rejected_types("slice_like_c2", "slice_like", {{"axis", "2"}}, {{{3, 4}, 8}, {{3, 4}, 8}});
  expect_rejected_types("slice_like_c2", "slice_like", {{"axis", "-3"}}, {{{3, 4}, 8}, {{3, 4}, 8}});
  // c2 on a later entry is checked before c3 on an earlier one.
  expect_rejected_types("slice_like_c2", "slice_like", {{"axis", "(0, 5)"}},
                           {{{3, 4}, 8}, {{9, 4}, 8}});
}

TEST(slice_like, slice_like_c3_rejects_extension) {
  expect_rejected("slice_like_c3", "slice_like", {}, {kX34, filled({3, 5}, 1, 0)});
  expect_rejected_types("slice_like_c3", "slice_like", {{"axis", "(0,)"}},
                           {{{3, 4}, 8}, {{4, 1}, 8}});
}

TEST(slice_like, axis_entry_beyond_int32_is_attr_c3) {
  expect_rejected_types("attr_c3", "slice_like", {{"axis", "(2147483648,)"}},
                           {{{3, 4}, 8}, {{3, 4}, 8}});
}

TEST(slice_like, slice_like_b2_like_of_the_same_shape_reads_all_of_x) {
  // slice_like_b2: like has x's shape, so the output index reaches d_k - 1 on every axis.
  expect_outputs("slice_like", {}, {kX34, filled({3, 4}, 1, 0)},
                 {T({3, 4}, 5, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})});
}

}  // namespace
}  // namespace cvm::oracle
