// broadcast_greater: edge cases and one test per constraint label (spec/ops/broadcast_greater.rst).
#include "broadcast_support.h"
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(broadcast_greater, strict_signed_comparison) {
  // Equal elements give 0; negatives compare as signed; p_y = max(8, 2) = 8.
  expect_outputs("broadcast_greater", {}, {T({2, 3}, 8, {-5, 0, 7, 3, 3, -1}), T({3}, 4, {-6, 0, 7})},
                 {T({2, 3}, 8, {1, 0, 0, 1, 1, 0})}, 1);
}

TEST(broadcast_greater, precision_1_first_operand_gives_precision_2) {
  // E-broadcast_greater-1: upstream would say precision 1, but the output 1 needs 2.
  expect_outputs("broadcast_greater", {}, {T({1}, 1, {0}), T({3}, 2, {-1, 0, 1})},
                 {T({3}, 2, {1, 0, 0})});
}

TEST(broadcast_greater, precision_follows_a_not_b) {
  // Quirk: p_y = p_a for p_a >= 2, whatever p_b is.
  expect_outputs("broadcast_greater", {}, {T({1}, 2, {1}), T({2}, 32, {0, 2147483647})},
                 {T({2}, 2, {1, 0})});
  expect_outputs("broadcast_greater", {}, {T({2}, 32, {2147483647, -2147483647}), T({1}, 1, {0})},
                 {T({2}, 32, {1, 0})});
}

TEST(broadcast_greater, lower_rank_first_operand) {
  // The shorter operand is still the left side: y[i][j] = a[j] > b[i][j]; p_y = p_a = 4.
  expect_outputs("broadcast_greater", {}, {T({3}, 4, {-7, 0, 7}), T({2, 3}, 8, {-8, 0, 8, 7, -1, 6})},
                 {T({2, 3}, 4, {1, 0, 0, 0, 1, 1})});
}

TEST(broadcast_greater, dims_align_from_the_right) {
  // (2, 1) with (2,): output (2, 2), y[i][j] = a[i] > b[j]; p_y = max(3, 2) = 3.
  expect_outputs("broadcast_greater", {}, {T({2, 1}, 3, {-1, 2}), T({2}, 6, {0, 1})},
                 {T({2, 2}, 3, {0, 0, 1, 1})});
}

TEST(broadcast_greater, rank_6_against_rank_1) {
  // Largest rank difference: (3,) is padded to (1, 1, 1, 1, 1, 3).
  expect_outputs("broadcast_greater", {}, {T({1, 1, 1, 1, 2, 1}, 8, {5, -5}), T({3}, 8, {4, 5, 6})},
                 {T({1, 1, 1, 1, 2, 3}, 8, {1, 0, 0, 0, 0, 0})});
}

TEST(broadcast_greater, broadcast_greater_b1_holds_at_precision_32_and_1) {
  // broadcast_greater_b1: comparing the precision-32 extremes; the p_a = 1 case is above.
  expect_outputs("broadcast_greater", {},
                 {T({2}, 32, {2147483647, -2147483647}), T({2, 1}, 32, {-2147483647, 2147483647})},
                 {T({2, 2}, 32, {1, 0, 0, 0})});
  expect_outputs("broadcast_greater", {}, {T({2}, 1, {0, 0}), T({1}, 1, {0})}, {T({2}, 2, {0, 0})});
}

TEST(broadcast_greater, broadcast_greater_c1_and_the_rejections_every_broadcast_op_shares) {
  // broadcast_greater_c1 (shapes that do not broadcast), op_c2, op_c1, attr_c0: broadcast_support.h.
  expect_broadcast_rejections("broadcast_greater_c1", "broadcast_greater");
}

TEST(broadcast_greater, broadcast_greater_b2_size_one_dims_read_coordinate_zero) {
  // broadcast_greater_b2: a (2, 1) against b (3) gives (2, 3); a's axis 1 has size 1 and is
  // always read at 0, b is right-aligned and read at column j: y[i, j] = a[i, 0] > b[j].
  expect_outputs("broadcast_greater", {}, {T({2, 1}, 8, {1, 25}), T({3}, 8, {10, 20, 30})},
                 {T({2, 3}, 8, {0, 0, 0, 1, 1, 0})});
}

}  // namespace
}  // namespace cvm::oracle
