// max: edge cases and one test per constraint label (spec/ops/max.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(max, default_whole_reduction_starts_from_zero) {
  // Quirk: axis = () with exclude = false gives max(0, max x); all-negative -> 0.
  expect_outputs("max", {}, {T({2, 2}, 8, {-3, -1, -2, -4})}, {T({1}, 8, {0})}, 1);
  expect_outputs("max", {{"axis", "()"}, {"keepdims", "true"}}, {T({2, 2}, 8, {-3, -1, -2, -4})},
                 {T({1, 1}, 8, {0})}, 1);
  // A positive maximum is unaffected.
  expect_outputs("max", {}, {T({2, 2}, 8, {-3, 5, -2, -4})}, {T({1}, 8, {5})}, 1);
}

TEST(max, explicit_full_axis_list_gives_the_true_maximum) {
  // Same elements, listed axes: no start from 0.
  expect_outputs("max", {{"axis", "(0, 1)"}}, {T({2, 2}, 8, {-3, -1, -2, -4})}, {T({1}, 8, {-1})});
  expect_outputs("max", {{"axis", "(-1, 0)"}, {"keepdims", "true"}},
                 {T({2, 2}, 8, {-3, -1, -2, -4})}, {T({1, 1}, 8, {-1})});
}

TEST(max, exclude_with_empty_axis_gives_the_true_maximum) {
  // exclude = true with axis = () still reduces every axis, but from the first element.
  expect_outputs("max", {{"exclude", "true"}}, {T({2, 2}, 8, {-3, -1, -2, -4})}, {T({1}, 8, {-1})});
}

TEST(max, negative_axis_per_row) {
  // axis -1 of a rank-2 tensor: row maxima, negative rows stay negative.
  expect_outputs("max", {{"axis", "-1"}}, {T({2, 3}, 8, {-5, 2, -1, -7, -8, -9})},
                 {T({2}, 8, {2, -7})});
  // axis 0: column maxima.
  expect_outputs("max", {{"axis", "0"}, {"keepdims", "true"}},
                 {T({2, 3}, 8, {-5, 2, -1, -7, -8, -9})}, {T({1, 3}, 8, {-5, 2, -1})});
}

TEST(max, exclude_with_every_axis_listed_is_a_copy) {
  // R empty: y = x with the same shape and precision.
  expect_outputs("max", {{"axis", "(1, 0)"}, {"exclude", "true"}}, {T({2, 2}, 8, {-3, -1, -2, -4})},
                 {T({2, 2}, 8, {-3, -1, -2, -4})}, 1);
}

TEST(max, follows_formal_not_the_cpu_index_bug) {
  // CPU would give [8, 9, 10, 11, 12, 13] (reads the slice at 2*o0 + o1).
  std::vector<int32_t> v(30);
  for (int i = 0; i < 30; ++i) v[static_cast<size_t>(i)] = i;
  expect_outputs("max", {{"axis", "1"}}, {T({3, 5, 1, 2}, 8, v)},
                 {T({3, 1, 2}, 8, {8, 9, 18, 19, 28, 29})});
}

TEST(max, max_b1_holds_at_precision_extremes) {
  // max_b1 at p = 32: the extreme values pass through unchanged.
  expect_outputs("max", {{"axis", "0"}},
                 {T({2, 2}, 32, {-2147483647, 2147483647, -2147483647, -5})},
                 {T({2}, 32, {-2147483647, 2147483647})});
  // max_b1 at p = 1: only zeros.
  expect_outputs("max", {}, {filled({3}, 1, 0)}, {T({1}, 1, {0})});
}

TEST(max, dtype_is_accepted_and_ignored) {
  expect_outputs("max", {{"dtype", "uint64"}}, {T({2}, 8, {3, -4})}, {T({1}, 8, {3})});
}

TEST(max, max_c1_rejects_an_unknown_dtype) {
  expect_rejected("max_c1", "max", {{"dtype", "Int32"}}, {T({2}, 8, {1, 2})});
  expect_rejected("max_c1", "max", {{"dtype", "bool"}}, {T({2}, 8, {1, 2})});
}

TEST(max, max_c2_rejects_an_axis_out_of_range) {
  expect_rejected_types("max_c2", "max", {{"axis", "3"}}, {{{2, 3, 4}, 8}});
  expect_rejected_types("max_c2", "max", {{"axis", "-4"}}, {{{2, 3, 4}, 8}});
}

TEST(max, max_c3_rejects_a_duplicate_axis) {
  expect_rejected_types("max_c3", "max", {{"axis", "(2, -1)"}}, {{{2, 3, 4}, 8}});
  expect_rejected_types("max_c3", "max", {{"axis", "(0, 1, 0)"}}, {{{2, 3, 4}, 8}});
}

TEST(max, max_b2_exclude_with_keepdims_maps_back_to_every_input_index) {
  // max_b2: exclude (0, 2) reduces axis 1 only; keepdims gives (2, 1, 2), and
  // y[i, 0, k] = max over j of x[i, j, k], x (2, 3, 2) = -1 .. -12: the first row wins.
  expect_outputs("max", {{"axis", "(0, 2)"}, {"exclude", "true"}, {"keepdims", "true"}},
                 {T({2, 3, 2}, 8, {-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12})},
                 {T({2, 1, 2}, 8, {-1, -2, -7, -8})});
}

}  // namespace
}  // namespace cvm::oracle
