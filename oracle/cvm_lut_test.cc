// cvm_lut: edge cases and one test per constraint label (spec/ops/cvm_lut.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(cvm_lut, input_order_is_indices_then_table) {
  // Distinguishes (indices, table) from (table, indices): the output has the indices' shape
  // (3,) and values from the (2,) table.
  expect_outputs("cvm_lut", {{"in_dim", "2"}}, {T({3}, 2, {1, 0, 1}), T({2}, 8, {-50, 60})},
                 {T({3}, 8, {60, -50, 60})}, 1);
}

TEST(cvm_lut, indices_clamp_without_wraparound) {
  // Distinguishes clamping from wraparound / modulo: -1 gives entry 0, 3 (= |t|) gives entry 2.
  expect_outputs("cvm_lut", {{"in_dim", "3"}}, {T({4}, 8, {-1, 3, -127, 127}), T({3}, 8, {7, 8, 9})},
                 {T({4}, 8, {7, 9, 7, 9})});
}

TEST(cvm_lut, table_of_higher_rank_is_read_flat) {
  // Distinguishes flat reading: a (2, 2) table, index 2 is entry (1, 0); in_dim counts elements.
  expect_outputs("cvm_lut", {{"in_dim", "4"}}, {T({1, 2}, 8, {2, 3}), T({2, 2}, 8, {1, 2, 3, 4})},
                 {T({1, 2}, 8, {3, 4})});
}

TEST(cvm_lut, precision_is_the_table_not_the_indices) {
  // Distinguishes p_t from p_indices (upstream takes the table's).
  expect_outputs("cvm_lut", {{"in_dim", "2"}}, {T({1}, 16, {1}), T({2}, 3, {-3, 3})},
                 {T({1}, 3, {3})});
}

TEST(cvm_lut, cvm_lut_b1_holds_at_precision_1_and_32) {
  // cvm_lut_b1: table values are copied at both precision extremes.
  expect_outputs("cvm_lut", {{"in_dim", "2"}}, {T({2}, 2, {1, 0}), T({2}, 32, {-2147483647, 2147483647})},
                 {T({2}, 32, {2147483647, -2147483647})});
  expect_outputs("cvm_lut", {{"in_dim", "1"}}, {T({1}, 8, {5}), T({1}, 1, {0})}, {T({1}, 1, {0})});
}

TEST(cvm_lut, cvm_lut_b2_holds_at_index_extremes) {
  // cvm_lut_b2: the extreme int32 indices clamp into [0, |t| - 1], here a one-entry table.
  expect_outputs("cvm_lut", {{"in_dim", "1"}}, {T({2}, 32, {-2147483647, 2147483647}), T({1}, 8, {42})},
                 {T({2}, 8, {42, 42})});
}

TEST(cvm_lut, cvm_lut_c1_rejects_wrong_in_dim) {
  expect_rejected("cvm_lut_c1", "cvm_lut", {{"in_dim", "3"}}, {T({1}, 8, {0}), T({4}, 8, {1, 2, 3, 4})});
  // in_dim equal to the table's first dim but not its size.
  expect_rejected_types("cvm_lut_c1", "cvm_lut", {{"in_dim", "2"}}, {{{1}, 8}, {{2, 2}, 8}});
  // in_dim equal to the indices' size is not enough.
  expect_rejected_types("cvm_lut_c1", "cvm_lut", {{"in_dim", "5"}}, {{{5}, 8}, {{4}, 8}});
}

TEST(cvm_lut, missing_in_dim_is_attr_c2) {
  expect_rejected_types("attr_c2", "cvm_lut", {}, {{{1}, 8}, {{4}, 8}});
}

}  // namespace
}  // namespace cvm::oracle
