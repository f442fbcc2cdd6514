// broadcast_max: edge cases and one test per constraint label (spec/ops/broadcast_max.rst).
#include "broadcast_support.h"
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(broadcast_max, row_vector_over_matrix) {
  // Signed comparison (max(-5, -7) = -5), ties, a broadcast row; p_y = max(8, 4).
  expect_outputs("broadcast_max", {}, {T({2, 3}, 8, {-5, 2, -127, 4, -1, 0}), T({3}, 4, {-7, 0, 7})},
                 {T({2, 3}, 8, {-5, 2, 7, 4, 0, 7})}, 1);
}

TEST(broadcast_max, lower_rank_first_operand) {
  // Rank mismatch with the shorter operand first: same values, same precision.
  expect_outputs("broadcast_max", {}, {T({3}, 4, {-7, 0, 7}), T({2, 3}, 8, {-5, 2, -127, 4, -1, 0})},
                 {T({2, 3}, 8, {-5, 2, 7, 4, 0, 7})});
}

TEST(broadcast_max, precision_is_the_larger_even_if_the_value_is_from_the_smaller) {
  // The rule looks at precisions only: the value 1 comes from a (p 2), p_y is 32.
  expect_outputs("broadcast_max", {}, {T({1}, 2, {1}), T({1}, 32, {-5})}, {T({1}, 32, {1})});
}

TEST(broadcast_max, dims_align_from_the_right) {
  // (2, 1) with (2,): output (2, 2), y[i][j] = max(a[i], b[j]).
  expect_outputs("broadcast_max", {}, {T({2, 1}, 3, {-3, 3}), T({2}, 6, {-10, 10})},
                 {T({2, 2}, 6, {-3, 10, 3, 10})});
}

TEST(broadcast_max, rank_6_against_rank_1) {
  // Largest rank difference: (3,) is padded to (1, 1, 1, 1, 1, 3).
  expect_outputs("broadcast_max", {}, {T({1, 1, 1, 1, 2, 1}, 8, {-1, 50}), T({3}, 8, {-2, 0, 100})},
                 {T({1, 1, 1, 1, 2, 3}, 8, {-1, 0, 100, 50, 50, 100})});
}

TEST(broadcast_max, broadcast_max_b1_holds_at_precision_1_and_32) {
  // broadcast_max_b1: the extremes of precision 32, and precision 1 (only 0).
  expect_outputs("broadcast_max", {}, {T({2}, 32, {2147483647, -2147483647}), T({1}, 32, {-2147483647})},
                 {T({2}, 32, {2147483647, -2147483647})});
  expect_outputs("broadcast_max", {}, {T({1}, 1, {0}), T({2}, 1, {0, 0})}, {T({2}, 1, {0, 0})});
}

TEST(broadcast_max, broadcast_max_c1_and_the_rejections_every_broadcast_op_shares) {
  // broadcast_max_c1 (shapes that do not broadcast), op_c2, op_c1, attr_c0: broadcast_support.h.
  expect_broadcast_rejections("broadcast_max_c1", "broadcast_max");
}

TEST(broadcast_max, broadcast_max_b2_size_one_dims_read_coordinate_zero) {
  // broadcast_max_b2: a (2, 1) against b (3) gives (2, 3); a's axis 1 has size 1 and is
  // always read at 0, b is right-aligned and read at column j: y[i, j] = max(a[i, 0], b[j]).
  expect_outputs("broadcast_max", {}, {T({2, 1}, 8, {1, 25}), T({3}, 8, {10, 20, 30})},
                 {T({2, 3}, 8, {10, 20, 30, 25, 25, 30})});
}

}  // namespace
}  // namespace cvm::oracle
