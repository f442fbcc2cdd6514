// sum: edge cases and one test per constraint label (spec/ops/sum.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

// x[a][b][c] = 6a + 2b + c + 1, shape (2, 3, 2).
Tensor x232() { return T({2, 3, 2}, 8, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}); }

TEST(sum, negative_axis_is_normalised) {
  // axis -2 of a rank-2 tensor is axis 0 (column sums), not axis 1 (row sums).
  expect_outputs("sum", {{"axis", "-2"}}, {T({2, 3}, 8, {1, 2, 3, 4, 5, -6})},
                 {T({3}, 10, {5, 7, -3})}, 2);
}

TEST(sum, middle_axis_with_keepdims_keeps_a_one) {
  // keepdims replaces the reduced dim by 1 in place: (2, 3, 2) -> (2, 1, 2);
  // y[a][0][c] = sum_b (6a + 2b + c + 1) = 18a + 3c + 9.
  expect_outputs("sum", {{"axis", "1"}, {"keepdims", "true"}}, {x232()},
                 {T({2, 1, 2}, 10, {9, 12, 27, 30})}, 3);
  // Without keepdims the dim is dropped.
  expect_outputs("sum", {{"axis", "(1,)"}}, {x232()}, {T({2, 2}, 10, {9, 12, 27, 30})}, 3);
}

TEST(sum, non_adjacent_unsorted_axes) {
  // Axes (2, 0) are the same set as (0, 2): K = 4, p = 8 + bits(4) = 11.
  const Tensor y = T({3}, 11, {18, 26, 34});
  expect_outputs("sum", {{"axis", "(0, 2)"}}, {x232()}, {y}, 4);
  expect_outputs("sum", {{"axis", "[2, 0]"}}, {x232()}, {y}, 4);
}

TEST(sum, empty_axis_with_exclude_reduces_everything) {
  // axis = () means every axis even when exclude is true (not "exclude nothing").
  expect_outputs("sum", {{"axis", "()"}, {"exclude", "true"}}, {x232()}, {T({1}, 12, {78})}, 12);
  expect_outputs("sum", {{"exclude", "1"}, {"keepdims", "1"}}, {x232()},
                 {T({1, 1, 1}, 12, {78})}, 12);
}

TEST(sum, exclude_with_every_axis_listed_is_a_copy_with_one_more_bit) {
  // R is empty: y = x, shape unchanged even without keepdims, p = 8 + bits(1) = 9, K = 1.
  expect_outputs("sum", {{"axis", "(0, 1, -1)"}, {"exclude", "true"}}, {x232()},
                 {T({2, 3, 2}, 9, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})}, 1);
}

TEST(sum, exclude_keeps_the_listed_axes) {
  // exclude with axis 1 reduces axes 0 and 2: same as axis (0, 2).
  expect_outputs("sum", {{"axis", "1"}, {"exclude", "true"}}, {x232()}, {T({3}, 11, {18, 26, 34})},
                 4);
}

TEST(sum, follows_formal_not_the_cpu_index_bug) {
  // Digest reproducer: a reduced axis of length 5 between a kept axis of length 3
  // and a kept axis of length 1. CPU gives [20, 25, 30, 35, 40, 45].
  std::vector<int32_t> v(30);
  for (int i = 0; i < 30; ++i) v[static_cast<size_t>(i)] = i;
  expect_outputs("sum", {{"axis", "1"}}, {T({3, 5, 1, 2}, 8, v)},
                 {T({3, 1, 2}, 11, {20, 25, 70, 75, 120, 125})}, 5);
  expect_outputs("sum", {{"axis", "1"}, {"keepdims", "true"}}, {T({3, 5, 1, 2}, 8, v)},
                 {T({3, 1, 1, 2}, 11, {20, 25, 70, 75, 120, 125})}, 5);
}

TEST(sum, precision_one_input) {
  // Precision 1 admits only 0; K = 8 gives p = 1 + bits(8) = 5.
  expect_outputs("sum", {}, {filled({2, 4}, 1, 0)}, {T({1}, 5, {0})}, 8);
}

TEST(sum, sum_b1_and_sum_b2_hold_at_the_largest_accepted_sum) {
  // sum_b1, sum_b2: K = 3 values of R(30) = 2^29 - 1 give 3 * (2^29 - 1) = 1610612733,
  // within R(30 + bits(3)) = R(32).
  expect_outputs("sum", {}, {T({3}, 30, {536870911, 536870911, 536870911})},
                 {T({1}, 32, {1610612733})}, 3);
  expect_outputs("sum", {}, {T({3}, 30, {-536870911, -536870911, -536870911})},
                 {T({1}, 32, {-1610612733})}, 3);
}

TEST(sum, output_precision_above_32_is_rejected) {
  // 31 + bits(2) = 33: op_c3. A copy of a precision-32 tensor too: 32 + bits(1) = 33.
  expect_rejected_types("op_c3", "sum", {}, {{{2}, 31}});
  expect_rejected_types("op_c3", "sum", {{"axis", "0"}, {"exclude", "true"}}, {{{2}, 32}});
}

TEST(sum, dtype_is_accepted_and_ignored) {
  // Any listed dtype name leaves the result unchanged.
  expect_outputs("sum", {{"dtype", "float32"}}, {T({2}, 8, {3, -4})}, {T({1}, 10, {-1})}, 2);
  expect_outputs("sum", {{"dtype", "int8"}}, {T({2}, 8, {3, -4})}, {T({1}, 10, {-1})}, 2);
}

TEST(sum, sum_c1_rejects_an_unknown_dtype) {
  expect_rejected("sum_c1", "sum", {{"dtype", "int33"}}, {T({2}, 8, {1, 2})});
  // Names are case-sensitive.
  expect_rejected("sum_c1", "sum", {{"dtype", "INT32"}}, {T({2}, 8, {1, 2})});
}

TEST(sum, sum_c2_rejects_an_axis_out_of_range) {
  expect_rejected_types("sum_c2", "sum", {{"axis", "2"}}, {{{2, 3}, 8}});
  expect_rejected_types("sum_c2", "sum", {{"axis", "(0, -3)"}}, {{{2, 3}, 8}});
  expect_rejected_types("sum_c2", "sum", {{"axis", "1099511627776"}}, {{{2, 3}, 8}});
  // The range check applies with exclude too.
  expect_rejected_types("sum_c2", "sum", {{"axis", "5"}, {"exclude", "true"}}, {{{2, 3}, 8}});
}

TEST(sum, sum_c3_rejects_a_duplicate_axis) {
  // 1 and -1 name the same axis of a rank-2 tensor.
  expect_rejected_types("sum_c3", "sum", {{"axis", "(1, -1)"}}, {{{2, 3}, 8}});
  expect_rejected_types("sum_c3", "sum", {{"axis", "(0, 0)"}, {"exclude", "true"}},
                           {{{2, 3}, 8}});
}

TEST(sum, unknown_attribute_is_attr_c1) {
  expect_rejected_types("attr_c1", "sum", {{"axes", "0"}}, {{{2, 3}, 8}});
}

TEST(sum, sum_b3_exclude_with_keepdims_maps_back_to_every_input_index) {
  // sum_b3: exclude (0, 2) reduces axis 1 only; keepdims gives (2, 1, 2), and
  // y[i, 0, k] = x[i, 0, k] + x[i, 1, k] + x[i, 2, k]: 1 + 3 + 5, 2 + 4 + 6, 7 + 9 + 11,
  // 8 + 10 + 12. p_y = 8 + bits(3) = 10.
  expect_outputs("sum", {{"axis", "(0, 2)"}, {"exclude", "true"}, {"keepdims", "true"}}, {x232()},
                 {T({2, 1, 2}, 10, {9, 12, 27, 30})});
}

}  // namespace
}  // namespace cvm::oracle
