// take: edge cases and one test per constraint label (spec/ops/take.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

const Tensor kX23 = T({2, 3}, 8, {10, 11, 12, 13, 14, 15});

TEST(take, no_axis_reads_flat_input) {
  // Distinguishes flat indexing from axis-0 indexing: index 4 is element (1, 1).
  expect_outputs("take", {}, {kX23, T({3}, 8, {4, 0, 5})}, {T({3}, 8, {14, 10, 15})}, 1);
  // "None" spelled out is the same.
  expect_outputs("take", {{"axis", "None"}}, {kX23, T({1}, 8, {3})}, {T({1}, 8, {13})});
}

TEST(take, negative_indices_clamp_to_zero_no_wraparound) {
  // Distinguishes clamping from Python wraparound: -1 gives the first element, not the last.
  expect_outputs("take", {}, {kX23, T({2}, 8, {-1, -127})}, {T({2}, 8, {10, 10})});
  expect_outputs("take", {{"axis", "0"}}, {kX23, T({1}, 8, {-1})}, {T({1, 3}, 8, {10, 11, 12})});
}

TEST(take, large_indices_clamp_to_last) {
  // Distinguishes clamping to n-1 from modulo: 6 (= |x|) and INT32_MAX-range values give the last.
  expect_outputs("take", {}, {kX23, T({2}, 32, {6, 2147483647})}, {T({2}, 8, {15, 15})});
  // With an axis the clamp is to d_a - 1, not |x| - 1: 4 clamps to row 1.
  expect_outputs("take", {{"axis", "0"}}, {kX23, T({1}, 8, {4})}, {T({1, 3}, 8, {13, 14, 15})});
}

TEST(take, axis_splices_index_shape) {
  // Distinguishes the splice position: x (2, 3, 2), indices (2, 2) on axis 1 gives (2, 2, 2, 2).
  const Tensor x = T({2, 3, 2}, 8, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  expect_outputs("take", {{"axis", "1"}}, {x, T({2, 2}, 8, {2, 0, 1, 1})},
                 {T({2, 2, 2, 2}, 8, {4, 5, 0, 1, 2, 3, 2, 3, 10, 11, 6, 7, 8, 9, 8, 9})});
  // Negative axis -1 is the last axis.
  expect_outputs("take", {{"axis", "-1"}}, {x, T({1}, 8, {1})},
                 {T({2, 3, 1}, 8, {1, 3, 5, 7, 9, 11})});
}

TEST(take, precision_is_x_not_indices) {
  // Distinguishes p_x from p_indices or max.
  expect_outputs("take", {}, {T({2}, 3, {-3, 3}), T({1}, 32, {1})}, {T({1}, 3, {3})});
}

TEST(take, take_b1_holds_at_precision_1_and_32) {
  // take_b1: gathered values keep the precision at both extremes.
  expect_outputs("take", {}, {T({2}, 32, {-2147483647, 2147483647}), T({2}, 8, {1, 0})},
                 {T({2}, 32, {2147483647, -2147483647})});
  expect_outputs("take", {{"axis", "0"}}, {T({2}, 1, {0, 0}), T({1}, 8, {1})}, {T({1}, 1, {0})});
}

TEST(take, take_b2_holds_at_index_extremes) {
  // take_b2: the most negative and most positive int32 indices clamp into [0, n-1].
  expect_outputs("take", {{"axis", "0"}}, {T({2}, 8, {5, 6}), T({2}, 32, {-2147483647, 2147483647})},
                 {T({2}, 8, {5, 6})});
}

TEST(take, take_c1_rejects_axis_out_of_range) {
  expect_rejected("take_c1", "take", {{"axis", "2"}}, {kX23, T({1}, 8, {0})});
  expect_rejected_types("take_c1", "take", {{"axis", "-3"}}, {{{2, 3}, 8}, {{1}, 8}});
}

TEST(take, output_rank_over_6_is_op_c2) {
  // rank 4 - 1 + 4 = 7.
  expect_rejected_types("op_c2", "take", {{"axis", "0"}}, {{{1, 1, 1, 1}, 8}, {{1, 1, 1, 1}, 8}});
}

TEST(take, unparsable_axis_is_attr_c3) {
  expect_rejected_types("attr_c3", "take", {{"axis", "none"}}, {{{2}, 8}, {{1}, 8}});
}

TEST(take, take_b3_clipped_indices_address_x_along_the_axis) {
  // take_b3: axis 1 of x (2, 3) with indices (2, 2) of precision 32: y[i, k0, k1] =
  // x[i, clip(v, 0, 2)], so -(2^31 - 1) reads column 0 and 2^31 - 1 column 2 = d_a - 1.
  expect_outputs("take", {{"axis", "1"}},
                 {T({2, 3}, 8, {1, 2, 3, 4, 5, 6}), T({2, 2}, 32, {-2147483647, 2147483647, 1, 0})},
                 {T({2, 2, 2}, 8, {1, 3, 2, 1, 4, 6, 5, 4})});
}

}  // namespace
}  // namespace cvm::oracle
