// elemwise_sub: edge cases and one test per constraint label (spec/ops/elemwise_sub.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(elemwise_sub, subtracts_second_from_first) {
  // Operand order: a - b, not b - a; the larger precision (8) decides p_y = 9.
  expect_outputs("elemwise_sub", {}, {T({2, 2}, 4, {7, -7, 3, 0}), T({2, 2}, 8, {-127, 127, 5, 0})},
                 {T({2, 2}, 9, {134, -134, -2, 0})}, 1);
  expect_outputs("elemwise_sub", {}, {T({2, 2}, 8, {-127, 127, 5, 0}), T({2, 2}, 4, {7, -7, 3, 0})},
                 {T({2, 2}, 9, {-134, 134, 2, 0})}, 1);
}

TEST(elemwise_sub, precision_1_operands_give_precision_2) {
  // Smallest precision: only 0 is representable; the rule still adds one.
  expect_outputs("elemwise_sub", {}, {T({2}, 1, {0, 0}), T({2}, 1, {0, 0})}, {T({2}, 2, {0, 0})});
}

TEST(elemwise_sub, rank_6_keeps_row_major_order) {
  // Highest rank with size-1 dims: no broadcasting or reordering happens.
  expect_outputs("elemwise_sub", {},
                 {T({2, 1, 1, 1, 2, 1}, 8, {10, 20, 30, 40}), T({2, 1, 1, 1, 2, 1}, 8, {1, 2, 3, 4})},
                 {T({2, 1, 1, 1, 2, 1}, 9, {9, 18, 27, 36})});
}

TEST(elemwise_sub, elemwise_sub_b1_holds_at_precision_31) {
  // elemwise_sub_b1: the extreme differences +-(2^31 - 2) fit precision 32 (and int32).
  expect_outputs("elemwise_sub", {},
                 {T({2}, 31, {1073741823, -1073741823}), T({2}, 31, {-1073741823, 1073741823})},
                 {T({2}, 32, {2147483646, -2147483646})});
}

TEST(elemwise_sub, precision_32_operand_is_rejected_by_op_c3) {
  // max(1, 32) + 1 = 33 is outside [1, 32], whichever operand has precision 32.
  expect_rejected("op_c3", "elemwise_sub", {}, {T({1}, 1, {0}), T({1}, 32, {5})});
}

TEST(elemwise_sub, elemwise_sub_c1_rejects_different_shapes) {
  // Same element count, different shape.
  expect_rejected("elemwise_sub_c1", "elemwise_sub", {},
                     {T({6}, 8, {1, 2, 3, 4, 5, 6}), T({2, 3}, 8, {1, 2, 3, 4, 5, 6})});
  // Shapes that would broadcast are still rejected: no broadcasting here.
  expect_rejected_types("elemwise_sub_c1", "elemwise_sub", {},
                           {TensorType{{3}, 8}, TensorType{{2, 3}, 8}});
  expect_rejected_types("elemwise_sub_c1", "elemwise_sub", {},
                           {TensorType{{2, 1}, 8}, TensorType{{2, 3}, 8}});
}

TEST(elemwise_sub, takes_exactly_two_inputs_and_no_attributes) {
  expect_rejected("op_c1", "elemwise_sub", {}, {T({1}, 8, {1}), T({1}, 8, {1}), T({1}, 8, {1})});
  expect_rejected("attr_c0", "elemwise_sub", {{"precision", "8"}},
                     {T({1}, 8, {1}), T({1}, 8, {1})});
}

}  // namespace
}  // namespace cvm::oracle
