// elemwise_add: edge cases and one test per constraint label (spec/ops/elemwise_add.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(elemwise_add, precision_is_max_plus_one_in_either_order) {
  // The larger precision wins whichever operand carries it; mixed signs add exactly.
  expect_outputs("elemwise_add", {}, {T({2, 2}, 4, {7, -7, 3, 0}), T({2, 2}, 8, {127, -127, -5, 0})},
                 {T({2, 2}, 9, {134, -134, -2, 0})}, 1);
  expect_outputs("elemwise_add", {}, {T({2, 2}, 8, {127, -127, -5, 0}), T({2, 2}, 4, {7, -7, 3, 0})},
                 {T({2, 2}, 9, {134, -134, -2, 0})}, 1);
}

TEST(elemwise_add, precision_1_operands_give_precision_2) {
  // Smallest precision: only 0 is representable; the rule still adds one.
  expect_outputs("elemwise_add", {}, {T({3}, 1, {0, 0, 0}), T({3}, 1, {0, 0, 0})},
                 {T({3}, 2, {0, 0, 0})});
}

TEST(elemwise_add, rank_6_keeps_row_major_order) {
  // Highest rank with size-1 dims: no broadcasting or reordering happens.
  expect_outputs("elemwise_add", {},
                 {T({1, 2, 1, 1, 1, 2}, 8, {1, 2, 3, 4}), T({1, 2, 1, 1, 1, 2}, 8, {10, 20, 30, 40})},
                 {T({1, 2, 1, 1, 1, 2}, 9, {11, 22, 33, 44})});
}

TEST(elemwise_add, elemwise_add_b1_holds_at_precision_31) {
  // elemwise_add_b1: the extreme sums +-(2^31 - 2) fit precision 32 (and int32).
  expect_outputs("elemwise_add", {},
                 {T({2}, 31, {1073741823, -1073741823}), T({2}, 31, {1073741823, -1073741823})},
                 {T({2}, 32, {2147483646, -2147483646})});
}

TEST(elemwise_add, precision_32_operand_is_rejected_by_op_c3) {
  // max(32, 1) + 1 = 33 is outside [1, 32].
  expect_rejected("op_c3", "elemwise_add", {}, {T({1}, 32, {5}), T({1}, 1, {0})});
}

TEST(elemwise_add, elemwise_add_c1_rejects_different_shapes) {
  // Same element count, different shape.
  expect_rejected("elemwise_add_c1", "elemwise_add", {},
                     {T({2, 3}, 8, {1, 2, 3, 4, 5, 6}), T({3, 2}, 8, {1, 2, 3, 4, 5, 6})});
  // Shapes that would broadcast are still rejected: no broadcasting here.
  expect_rejected_types("elemwise_add_c1", "elemwise_add", {},
                           {TensorType{{2, 3}, 8}, TensorType{{3}, 8}});
  expect_rejected_types("elemwise_add_c1", "elemwise_add", {},
                           {TensorType{{2, 3}, 8}, TensorType{{1, 3}, 8}});
  expect_rejected_types("elemwise_add_c1", "elemwise_add", {},
                           {TensorType{{1}, 8}, TensorType{{3}, 8}});
}

TEST(elemwise_add, takes_exactly_two_inputs_and_no_attributes) {
  expect_rejected("op_c1", "elemwise_add", {}, {T({1}, 8, {1})});
  expect_rejected("attr_c0", "elemwise_add", {{"axis", "0"}}, {T({1}, 8, {1}), T({1}, 8, {1})});
}

}  // namespace
}  // namespace cvm::oracle
