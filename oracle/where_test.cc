// where: edge cases and one test per constraint label (spec/ops/where.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(where, elementwise_nonzero_selects_x) {
  // Distinguishes "!= 0" from "> 0": a negative cond selects x.
  expect_outputs("where", {},
                 {T({4}, 8, {0, 1, -1, 127}), T({4}, 8, {10, 11, 12, 13}), T({4}, 8, {-10, -11, -12, -13})},
                 {T({4}, 8, {-10, 11, 12, 13})}, 1);
}

TEST(where, elementwise_rank_3) {
  // Distinguishes element-wise selection on a rank-3 shape from row selection.
  expect_outputs("where", {},
                 {T({2, 1, 2}, 2, {1, 0, 0, 1}), T({2, 1, 2}, 8, {1, 2, 3, 4}),
                  T({2, 1, 2}, 8, {5, 6, 7, 8})},
                 {T({2, 1, 2}, 8, {1, 6, 7, 4})});
}

TEST(where, one_d_cond_selects_whole_rows) {
  // Distinguishes the intended full-row copy (errata E-where-2) from upstream's byte-count
  // bug: rows of 5 elements are copied completely, including elements 2..4 of each row.
  expect_outputs("where", {},
                 {T({2}, 8, {0, -3}), T({2, 5}, 8, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}),
                  T({2, 5}, 8, {-1, -2, -3, -4, -5, -6, -7, -8, -9, -10})},
                 {T({2, 5}, 8, {-1, -2, -3, -4, -5, 6, 7, 8, 9, 10})});
}

TEST(where, one_d_cond_rows_of_higher_rank) {
  // A row of x (2, 2, 2) is 4 elements: r = |S| div d_0.
  expect_outputs("where", {},
                 {T({2}, 8, {1, 0}), T({2, 2, 2}, 8, {1, 2, 3, 4, 5, 6, 7, 8}),
                  T({2, 2, 2}, 8, {0, 0, 0, 0, 0, 0, 0, 0})},
                 {T({2, 2, 2}, 8, {1, 2, 3, 4, 0, 0, 0, 0})});
}

TEST(where, precision_is_max_of_branches_not_cond) {
  // Distinguishes max(p_x, p_y) from p_cond (errata E-where-1) in both directions: a narrow cond
  // would make the output unsound, a wide cond would inflate it.
  expect_outputs("where", {}, {T({2}, 2, {1, 0}), T({2}, 8, {100, 0}), T({2}, 5, {0, -15})},
                 {T({2}, 8, {100, -15})});
  expect_outputs("where", {}, {T({2}, 32, {0, 7}), T({2}, 3, {1, 2}), T({2}, 4, {-7, 7})},
                 {T({2}, 4, {-7, 2})});
}

TEST(where, where_b1_holds_at_precision_1_and_32) {
  // where_b1: output precision is max(p_x, p_y) at the extremes.
  expect_outputs("where", {}, {T({2}, 1, {0, 0}), T({2}, 1, {0, 0}), T({2}, 32, {-2147483647, 2147483647})},
                 {T({2}, 32, {-2147483647, 2147483647})});
  expect_outputs("where", {}, {T({2}, 32, {5, 0}), T({2}, 1, {0, 0}), T({2}, 1, {0, 0})},
                 {T({2}, 1, {0, 0})});
}

TEST(where, where_c1_rejects_branch_shape_mismatch) {
  expect_rejected_types("where_c1", "where", {}, {{{2}, 8}, {{2}, 8}, {{3}, 8}});
  // Same size, different shape.
  expect_rejected_types("where_c1", "where", {}, {{{2, 3}, 8}, {{2, 3}, 8}, {{3, 2}, 8}});
  // c1 is checked before c2.
  expect_rejected_types("where_c1", "where", {}, {{{7}, 8}, {{2}, 8}, {{3}, 8}});
}

TEST(where, where_c2_rejects_bad_cond_shape) {
  // 1-D cond whose length is not d_0.
  expect_rejected("where_c2", "where", {},
                     {T({3}, 8, {1, 0, 1}), T({2, 3}, 8, {1, 2, 3, 4, 5, 6}), filled({2, 3}, 8, 0)});
  // cond of rank 2 that is neither S nor 1-D.
  expect_rejected_types("where_c2", "where", {}, {{{2, 1}, 8}, {{2, 3}, 8}, {{2, 3}, 8}});
  // cond broadcastable to S is still rejected.
  expect_rejected_types("where_c2", "where", {}, {{{1, 3}, 8}, {{2, 3}, 8}, {{2, 3}, 8}});
}

TEST(where, attributes_are_attr_c0) {
  expect_rejected_types("attr_c0", "where", {{"axis", "0"}}, {{{2}, 8}, {{2}, 8}, {{2}, 8}});
}

TEST(where, two_inputs_are_op_c1) {
  expect_rejected_types("op_c1", "where", {}, {{{2}, 8}, {{2}, 8}});
}

}  // namespace
}  // namespace cvm::oracle
