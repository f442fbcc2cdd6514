// broadcast_div: edge cases and one test per constraint label (spec/ops/broadcast_div.rst).
#include "broadcast_support.h"
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(broadcast_div, truncates_toward_zero_and_zero_divisor_gives_0) {
  // -7 / 2 = -3 (floor would give -4), 7 / -2 = -3, x / 0 = 0; p_y = p_a = 8.
  expect_outputs("broadcast_div", {}, {T({2, 3}, 8, {-7, 7, -7, 7, 0, 100}), T({3}, 4, {2, -2, 0})},
                 {T({2, 3}, 8, {-3, -3, 0, 3, 0, 0})}, 1);
}

TEST(broadcast_div, negative_by_negative_and_inexact_quotients) {
  // -7 / -2 = 3 (3.5 truncated), -7 / 3 = -2 (floor: -3), exact quotients +-1.
  expect_outputs("broadcast_div", {}, {T({1}, 8, {-7}), T({4}, 4, {-2, 3, -7, 7})},
                 {T({4}, 8, {3, -2, 1, -1})});
}

TEST(broadcast_div, lower_rank_dividend) {
  // The shorter operand is still the dividend: y[i][j] = a[j] quot b[i][j].
  expect_outputs("broadcast_div", {}, {T({3}, 8, {100, -100, 9}), T({2, 3}, 4, {3, 7, 0, -3, -7, 2})},
                 {T({2, 3}, 8, {33, -14, 0, -33, 14, 4})});
}

TEST(broadcast_div, precision_is_the_dividends_only) {
  // p_b plays no part: a precision-32 divisor leaves p_y = 2, a precision-1 divisor p_y = 32.
  expect_outputs("broadcast_div", {}, {T({2}, 2, {1, -1}), T({1}, 32, {2147483647})},
                 {T({2}, 2, {0, 0})});
  // A precision-1 divisor holds only 0: every element is a division by zero.
  expect_outputs("broadcast_div", {}, {T({3}, 32, {2147483647, -2147483647, 0}), T({1}, 1, {0})},
                 {T({3}, 32, {0, 0, 0})});
}

TEST(broadcast_div, dims_align_from_the_right) {
  // (2, 1) with (2,): output (2, 2), y[i][j] = a[i] quot b[j].
  expect_outputs("broadcast_div", {}, {T({2, 1}, 8, {12, -12}), T({2}, 4, {5, -5})},
                 {T({2, 2}, 8, {2, -2, -2, 2})});
}

TEST(broadcast_div, rank_6_against_rank_1) {
  // Largest rank difference: (3,) is padded to (1, 1, 1, 1, 1, 3).
  expect_outputs("broadcast_div", {}, {T({1, 1, 1, 1, 2, 1}, 8, {9, -9}), T({3}, 4, {2, -4, 0})},
                 {T({1, 1, 1, 1, 2, 3}, 8, {4, -2, 0, -4, 2, 0})});
}

TEST(broadcast_div, broadcast_div_b1_holds_at_precision_32) {
  // broadcast_div_b1: +-(2^31 - 1) divided by -1, 1 and by itself stays within precision 32.
  expect_outputs("broadcast_div", {},
                 {T({1, 2}, 32, {2147483647, -2147483647}), T({3, 1}, 32, {-1, 1, 2147483647})},
                 {T({3, 2}, 32, {-2147483647, 2147483647, 2147483647, -2147483647, 1, -1})});
}

TEST(broadcast_div, broadcast_div_c1_and_the_rejections_every_broadcast_op_shares) {
  // broadcast_div_c1 (shapes that do not broadcast), op_c2, op_c1, attr_c0: broadcast_support.h.
  expect_broadcast_rejections("broadcast_div_c1", "broadcast_div");
}

TEST(broadcast_div, broadcast_div_b2_size_one_dims_read_coordinate_zero) {
  // broadcast_div_b2: a (2, 1) against b (3) gives (2, 3); a's axis 1 has size 1 and is
  // always read at 0, b is right-aligned and read at column j: y[i, j] = a[i, 0] quot b[j].
  expect_outputs("broadcast_div", {}, {T({2, 1}, 8, {100, -50}), T({3}, 8, {10, 20, 30})},
                 {T({2, 3}, 8, {10, 5, 3, -5, -2, -1})});
}

}  // namespace
}  // namespace cvm::oracle
