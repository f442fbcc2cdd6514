// broadcast_sub: edge cases and one test per constraint label (spec/ops/broadcast_sub.rst).
#include "broadcast_support.h"
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(broadcast_sub, row_vector_from_matrix) {
  // The lower-rank subtrahend (3,) is repeated over every row; p_y = max(8, 4) + 1.
  expect_outputs("broadcast_sub", {}, {T({2, 3}, 8, {1, 2, 3, 4, 5, 6}), T({3}, 4, {-7, 0, 7})},
                 {T({2, 3}, 9, {8, 2, -4, 11, 5, -1})}, 1);
}

TEST(broadcast_sub, lower_rank_first_operand_is_still_the_minuend) {
  // Operand order survives broadcasting: a - b with a the broadcast one.
  expect_outputs("broadcast_sub", {}, {T({3}, 4, {-7, 0, 7}), T({2, 3}, 8, {1, 2, 3, 4, 5, 6})},
                 {T({2, 3}, 9, {-8, -2, 4, -11, -5, 1})});
}

TEST(broadcast_sub, dims_align_from_the_right) {
  // (2, 1) with (2,): output (2, 2), y[i][j] = a[i] - b[j].
  expect_outputs("broadcast_sub", {}, {T({2, 1}, 3, {1, 2}), T({2}, 6, {10, 20})},
                 {T({2, 2}, 7, {-9, -19, -8, -18})});
}

TEST(broadcast_sub, rank_6_against_rank_1) {
  // Largest rank difference: (3,) is padded to (1, 1, 1, 1, 1, 3).
  expect_outputs("broadcast_sub", {}, {T({1, 1, 1, 1, 2, 1}, 8, {1, 2}), T({3}, 8, {10, 20, 30})},
                 {T({1, 1, 1, 1, 2, 3}, 9, {-9, -19, -29, -8, -18, -28})});
}

TEST(broadcast_sub, broadcast_sub_b1_holds_at_precision_31) {
  // broadcast_sub_b1: the extreme differences +-(2^31 - 2) fit precision 32 (and int32).
  expect_outputs("broadcast_sub", {}, {T({2}, 31, {1073741823, -1073741823}), T({1}, 31, {-1073741823})},
                 {T({2}, 32, {2147483646, 0})});
  expect_outputs("broadcast_sub", {}, {T({1}, 31, {-1073741823}), T({2}, 31, {1073741823, -1073741823})},
                 {T({2}, 32, {-2147483646, 0})});
}

TEST(broadcast_sub, precision_32_operand_is_rejected_by_op_c3) {
  // max(1, 32) + 1 = 33 is outside [1, 32].
  expect_rejected("op_c3", "broadcast_sub", {}, {T({1}, 1, {0}), T({1}, 32, {5})});
}

TEST(broadcast_sub, broadcast_sub_c1_and_the_rejections_every_broadcast_op_shares) {
  // broadcast_sub_c1 (shapes that do not broadcast), op_c2, op_c1, attr_c0: broadcast_support.h.
  expect_broadcast_rejections("broadcast_sub_c1", "broadcast_sub");
}

TEST(broadcast_sub, broadcast_sub_b2_size_one_dims_read_coordinate_zero) {
  // broadcast_sub_b2: a (2, 1) against b (3) gives (2, 3); a's axis 1 has size 1 and is
  // always read at 0, b is right-aligned and read at column j: y[i, j] = a[i, 0] - b[j].
  expect_outputs("broadcast_sub", {}, {T({2, 1}, 8, {1, 2}), T({3}, 8, {10, 20, 30})},
                 {T({2, 3}, 9, {-9, -19, -29, -8, -18, -28})});
}

}  // namespace
}  // namespace cvm::oracle
