// broadcast_add: edge cases and one test per constraint label (spec/ops/broadcast_add.rst).
#include "broadcast_support.h"
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(broadcast_add, row_vector_over_matrix) {
  // The lower-rank operand (3,) is repeated over every row; p_y = max(8, 4) + 1.
  expect_outputs("broadcast_add", {}, {T({2, 3}, 8, {1, 2, 3, 4, 5, 6}), T({3}, 4, {-7, 0, 7})},
                 {T({2, 3}, 9, {-6, 2, 10, -3, 5, 13})}, 1);
}

TEST(broadcast_add, lower_rank_first_operand) {
  // Rank mismatch with the shorter operand first: the output takes the larger rank.
  expect_outputs("broadcast_add", {}, {T({3}, 4, {-7, 0, 7}), T({2, 3}, 8, {1, 2, 3, 4, 5, 6})},
                 {T({2, 3}, 9, {-6, 2, 10, -3, 5, 13})});
}

TEST(broadcast_add, dims_align_from_the_right) {
  // (2, 1) with (2,): b's 2 pairs with a's last dim (the 1), giving (2, 2), y[i][j] = a[i] + b[j].
  expect_outputs("broadcast_add", {}, {T({2, 1}, 3, {1, 2}), T({2}, 6, {10, 20})},
                 {T({2, 2}, 7, {11, 21, 12, 22})});
}

TEST(broadcast_add, both_operands_broadcast) {
  // Column (2, 1) and row (1, 3): each operand is repeated along a different dim.
  expect_outputs("broadcast_add", {}, {T({2, 1}, 2, {1, -1}), T({1, 3}, 3, {-3, 0, 3})},
                 {T({2, 3}, 4, {-2, 1, 4, -4, -1, 2})});
}

TEST(broadcast_add, rank_6_against_rank_1) {
  // Largest rank difference: (3,) is padded to (1, 1, 1, 1, 1, 3).
  expect_outputs("broadcast_add", {}, {T({1, 1, 1, 1, 2, 1}, 8, {1, 2}), T({3}, 8, {10, 20, 30})},
                 {T({1, 1, 1, 1, 2, 3}, 9, {11, 21, 31, 12, 22, 32})});
}

TEST(broadcast_add, broadcast_add_b1_holds_at_precision_31) {
  // broadcast_add_b1: the extreme sums +-(2^31 - 2) fit precision 32 (and int32).
  expect_outputs("broadcast_add", {}, {T({1}, 31, {1073741823}), T({2}, 31, {1073741823, -1073741823})},
                 {T({2}, 32, {2147483646, 0})});
  expect_outputs("broadcast_add", {}, {T({2}, 31, {-1073741823, 1073741823}), T({1}, 31, {-1073741823})},
                 {T({2}, 32, {-2147483646, 0})});
}

TEST(broadcast_add, precision_32_operand_is_rejected_by_op_c3) {
  // max(32, 1) + 1 = 33 is outside [1, 32].
  expect_rejected("op_c3", "broadcast_add", {}, {T({1}, 32, {5}), T({1}, 1, {0})});
}

TEST(broadcast_add, broadcast_add_c1_and_the_rejections_every_broadcast_op_shares) {
  // broadcast_add_c1 (shapes that do not broadcast), op_c2, op_c1, attr_c0: broadcast_support.h.
  expect_broadcast_rejections("broadcast_add_c1", "broadcast_add");
}

TEST(broadcast_add, broadcast_add_b2_size_one_dims_read_coordinate_zero) {
  // broadcast_add_b2: a (2, 1) against b (3) gives (2, 3); a's axis 1 has size 1 and is
  // always read at 0, b is right-aligned and read at column j: y[i, j] = a[i, 0] + b[j].
  expect_outputs("broadcast_add", {}, {T({2, 1}, 8, {1, 2}), T({3}, 8, {10, 20, 30})},
                 {T({2, 3}, 9, {11, 21, 31, 12, 22, 32})});
}

}  // namespace
}  // namespace cvm::oracle
