// squeeze: edge cases and one test per constraint label (spec/ops/squeeze.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

const std::vector<int32_t> kV = {1, -2, 3, -4, 5, -6};

TEST(squeeze, empty_axis_removes_every_unit_dim) {
  // Default and explicit "()" behave the same.
  expect_outputs("squeeze", {}, {T({1, 3, 1, 2}, 8, kV)}, {T({3, 2}, 8, kV)}, 1);
  expect_outputs("squeeze", {{"axis", "()"}}, {T({1, 3, 1, 2}, 8, kV)}, {T({3, 2}, 8, kV)});
}

TEST(squeeze, no_unit_dims_is_the_identity) {
  expect_outputs("squeeze", {}, {T({2, 3}, 8, kV)}, {T({2, 3}, 8, kV)});
}

TEST(squeeze, all_dims_removed_gives_shape_1) {
  // Quirk: rank 0 is impossible, (1,) is produced instead, with and without an axis list.
  expect_outputs("squeeze", {}, {T({1, 1, 1}, 8, {-7})}, {T({1}, 8, {-7})});
  expect_outputs("squeeze", {{"axis", "(0, 1)"}}, {T({1, 1}, 8, {7})}, {T({1}, 8, {7})});
  expect_outputs("squeeze", {}, {T({1}, 8, {7})}, {T({1}, 8, {7})});
}

TEST(squeeze, explicit_axis_keeps_unlisted_unit_dims) {
  // Only dim 0 goes; the unit dim 2 stays.
  expect_outputs("squeeze", {{"axis", "(0,)"}}, {T({1, 3, 1, 2}, 8, kV)}, {T({3, 1, 2}, 8, kV)});
  // A bare int is a 1-tuple.
  expect_outputs("squeeze", {{"axis", "2"}}, {T({1, 3, 1, 2}, 8, kV)}, {T({1, 3, 2}, 8, kV)});
}

TEST(squeeze, negative_axes_count_from_the_end) {
  // -4 names dim 0 and -2 names dim 2 of a rank-4 shape.
  expect_outputs("squeeze", {{"axis", "(-4, -2)"}}, {T({1, 3, 1, 2}, 8, kV)}, {T({3, 2}, 8, kV)});
}

TEST(squeeze, repeated_axes_remove_the_dim_once) {
  // 0 and -3 both name dim 0 of rank 3; repeating is not an error and removes one dim.
  expect_outputs("squeeze", {{"axis", "(0, -3, 0)"}}, {T({1, 6, 1}, 8, kV)}, {T({6, 1}, 8, kV)});
}

TEST(squeeze, squeeze_b1_holds_at_precision_1_and_32) {
  // squeeze_b1: values are copied with the input precision.
  expect_outputs("squeeze", {}, {T({2, 1}, 1, {0, 0})}, {T({2}, 1, {0, 0})});
  expect_outputs("squeeze", {}, {T({1, 2}, 32, {2147483647, -2147483647})},
                 {T({2}, 32, {2147483647, -2147483647})});
}

TEST(squeeze, squeeze_c1_rejects_axis_out_of_range) {
  expect_rejected_types("squeeze_c1", "squeeze", {{"axis", "(3,)"}}, {{{1, 2, 1}, 8}});
  expect_rejected_types("squeeze_c1", "squeeze", {{"axis", "(-4,)"}}, {{{1, 2, 1}, 8}});
  // Checked in order: the valid 0 first, then the bad 5.
  expect_rejected_types("squeeze_c1", "squeeze", {{"axis", "(0, 5)"}}, {{{1, 2, 1}, 8}});
}

TEST(squeeze, squeeze_c2_rejects_a_dim_other_than_1) {
  expect_rejected_types("squeeze_c2", "squeeze", {{"axis", "(1,)"}}, {{{1, 2, 1}, 8}});
  expect_rejected_types("squeeze_c2", "squeeze", {{"axis", "(0, -2)"}}, {{{1, 2, 1}, 8}});
}

TEST(squeeze, entries_are_checked_in_order) {
  // The first entry fails squeeze_c2 before the second could fail squeeze_c1.
  expect_rejected_types("squeeze_c2", "squeeze", {{"axis", "(1, 9)"}}, {{{1, 2, 1}, 8}});
}

}  // namespace
}  // namespace cvm::oracle
