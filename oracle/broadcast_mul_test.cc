// broadcast_mul: edge cases and one test per constraint label (spec/ops/broadcast_mul.rst).
#include "broadcast_support.h"
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(broadcast_mul, row_vector_over_matrix) {
  // Sign rules and a broadcast row; p_y = 8 + 4.
  expect_outputs("broadcast_mul", {}, {T({2, 3}, 8, {1, -2, 3, -4, 5, 127}), T({3}, 4, {7, -7, 1})},
                 {T({2, 3}, 12, {7, 14, 3, -28, -35, 127})}, 1);
}

TEST(broadcast_mul, lower_rank_first_operand) {
  // Rank mismatch with the shorter operand first; the precision sum is symmetric.
  expect_outputs("broadcast_mul", {}, {T({3}, 4, {7, -7, 1}), T({2, 3}, 8, {1, -2, 3, -4, 5, 127})},
                 {T({2, 3}, 12, {7, 14, 3, -28, -35, 127})});
}

TEST(broadcast_mul, dims_align_from_the_right) {
  // (2, 1) with (2,): output (2, 2), y[i][j] = a[i] * b[j].
  expect_outputs("broadcast_mul", {}, {T({2, 1}, 3, {2, -3}), T({2}, 6, {10, -20})},
                 {T({2, 2}, 9, {20, -40, -30, 60})});
}

TEST(broadcast_mul, rank_6_against_rank_1) {
  // Largest rank difference: (3,) is padded to (1, 1, 1, 1, 1, 3); zero times anything is 0.
  expect_outputs("broadcast_mul", {}, {T({1, 1, 1, 1, 2, 1}, 4, {2, -3}), T({3}, 4, {1, -7, 0})},
                 {T({1, 1, 1, 1, 2, 3}, 8, {2, -14, 0, -3, 21, 0})});
}

TEST(broadcast_mul, broadcast_mul_b1_holds_at_precision_sum_32) {
  // broadcast_mul_b1: 16 + 16 with the extreme magnitudes, 32767^2 = 1073676289 <= R(32).
  expect_outputs("broadcast_mul", {}, {T({2}, 16, {32767, -32767}), T({1}, 16, {-32767})},
                 {T({2}, 32, {-1073676289, 1073676289})});
  // 1 + 31: a precision-1 operand holds only 0, the product is 0 at precision 32.
  expect_outputs("broadcast_mul", {}, {T({1}, 1, {0}), T({2}, 31, {1073741823, -1073741823})},
                 {T({2}, 32, {0, 0})});
}

TEST(broadcast_mul, precision_sum_above_32_is_rejected_by_op_c3) {
  // 17 + 16 = 33 and 32 + 1 = 33 are outside [1, 32].
  expect_rejected("op_c3", "broadcast_mul", {}, {T({1}, 17, {5}), T({1}, 16, {5})});
  expect_rejected("op_c3", "broadcast_mul", {}, {T({1}, 32, {5}), T({1}, 1, {0})});
}

TEST(broadcast_mul, broadcast_mul_c1_and_the_rejections_every_broadcast_op_shares) {
  // broadcast_mul_c1 (shapes that do not broadcast), op_c2, op_c1, attr_c0: broadcast_support.h.
  expect_broadcast_rejections("broadcast_mul_c1", "broadcast_mul");
}

TEST(broadcast_mul, broadcast_mul_b2_size_one_dims_read_coordinate_zero) {
  // broadcast_mul_b2: a (2, 1) against b (3) gives (2, 3); a's axis 1 has size 1 and is
  // always read at 0, b is right-aligned and read at column j: y[i, j] = a[i, 0] b[j].
  expect_outputs("broadcast_mul", {}, {T({2, 1}, 8, {1, 2}), T({3}, 8, {10, 20, 30})},
                 {T({2, 3}, 16, {10, 20, 30, 20, 40, 60})});
}

}  // namespace
}  // namespace cvm::oracle
