// flatten: edge cases (spec/ops/flatten.rst). flatten has no op-specific constraints.
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(flatten, one_d_input_gains_a_trailing_unit_dim) {
  // The empty product is 1: (d0) -> (d0, 1), not (d0) and not (1, d0).
  expect_outputs("flatten", {}, {T({3}, 8, {1, -2, 3})}, {T({3, 1}, 8, {1, -2, 3})}, 1);
}

TEST(flatten, two_d_input_is_unchanged) {
  // Rank 2 keeps its shape (d0, d1); the first dim is never merged.
  expect_outputs("flatten", {}, {T({2, 2}, 8, {1, 2, 3, 4})}, {T({2, 2}, 8, {1, 2, 3, 4})});
}

TEST(flatten, rank_six_merges_all_but_the_first_dim) {
  // (2,1,3,1,1,2) -> (2, 6); the row-major order of values is kept.
  std::vector<int32_t> v;
  for (int32_t i = 0; i < 12; ++i) v.push_back(i - 6);
  expect_outputs("flatten", {}, {T({2, 1, 3, 1, 1, 2}, 8, v)}, {T({2, 6}, 8, v)});
}

TEST(flatten, leading_unit_dim_is_kept) {
  // (1, 2, 2) -> (1, 4): the first dim stays even when it is 1.
  expect_outputs("flatten", {}, {T({1, 2, 2}, 8, {4, 3, 2, 1})}, {T({1, 4}, 8, {4, 3, 2, 1})});
}

TEST(flatten, flatten_b1_holds_at_precision_1_and_32) {
  // flatten_b1: values are copied; the precision is carried over unchanged.
  expect_outputs("flatten", {}, {T({1, 2}, 1, {0, 0})}, {T({1, 2}, 1, {0, 0})});
  expect_outputs("flatten", {}, {T({2, 1, 1}, 32, {2147483647, -2147483647})},
                 {T({2, 1}, 32, {2147483647, -2147483647})});
}

TEST(flatten, merged_dim_above_two_to_the_24_is_op_c2) {
  // (1, 4096, 8192) is a valid input, but its output dim 2^25 exceeds 2^24.
  expect_rejected_types("op_c2", "flatten", {}, {{{1, 4096, 8192}, 8}});
}

TEST(flatten, attributes_are_rejected) {
  // flatten takes no attributes: any key is attr_c0.
  expect_rejected_types("attr_c0", "flatten", {{"axis", "1"}}, {{{2, 2}, 8}});
}

}  // namespace
}  // namespace cvm::oracle
