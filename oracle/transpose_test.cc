// transpose: edge cases and one test per constraint label (spec/ops/transpose.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

// x[e0, e1, e2] = 6 e0 + 2 e1 + e2 on shape (2, 3, 2): every value names its coordinate.
Tensor x232() { return T({2, 3, 2}, 8, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}); }

TEST(transpose, default_reverses_the_axes) {
  // Empty axes = (2, 1, 0): y[j0, j1, j2] = x[j2, j1, j0].
  expect_outputs("transpose", {}, {x232()},
                 {T({2, 3, 2}, 8, {0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11})}, 1);
  expect_outputs("transpose", {{"axes", "()"}}, {x232()},
                 {T({2, 3, 2}, 8, {0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11})});
}

TEST(transpose, permutation_not_its_inverse) {
  // (1, 2, 0): out dim i is in dim a_i, y[j0, j1, j2] = x[j2, j0, j1], shape (3, 2, 2).
  expect_outputs("transpose", {{"axes", "(1, 2, 0)"}}, {x232()},
                 {T({3, 2, 2}, 8, {0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11})});
  // Its inverse (2, 0, 1): y[j0, j1, j2] = x[j1, j2, j0], shape (2, 2, 3).
  expect_outputs("transpose", {{"axes", "(2, 0, 1)"}}, {x232()},
                 {T({2, 2, 3}, 8, {0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11})});
}

TEST(transpose, identity_permutation) {
  expect_outputs("transpose", {{"axes", "(0, 1, 2)"}}, {x232()}, {x232()});
}

TEST(transpose, negative_axes_are_normalized) {
  // (-1, 0) on rank 2 is (1, 0).
  expect_outputs("transpose", {{"axes", "(-1, 0)"}}, {T({2, 3}, 8, {1, 2, 3, 4, 5, 6})},
                 {T({3, 2}, 8, {1, 4, 2, 5, 3, 6})});
}

TEST(transpose, rank_1_is_unchanged) {
  expect_outputs("transpose", {}, {T({3}, 8, {1, 2, 3})}, {T({3}, 8, {1, 2, 3})});
  expect_outputs("transpose", {{"axes", "-1"}}, {T({3}, 8, {1, 2, 3})}, {T({3}, 8, {1, 2, 3})});
}

TEST(transpose, transpose_b1_holds_at_precision_1_and_32) {
  // transpose_b1: values are moved, never changed; the precision is kept.
  expect_outputs("transpose", {}, {T({1, 2}, 1, {0, 0})}, {T({2, 1}, 1, {0, 0})});
  expect_outputs("transpose", {}, {T({2, 2}, 32, {2147483647, -2147483647, 0, 1})},
                 {T({2, 2}, 32, {2147483647, 0, -2147483647, 1})});
}

TEST(transpose, transpose_c1_rejects_a_wrong_length) {
  expect_rejected_types("transpose_c1", "transpose", {{"axes", "(1, 0)"}}, {{{2, 3, 2}, 8}});
  expect_rejected_types("transpose_c1", "transpose", {{"axes", "(0, 1, 2)"}}, {{{2, 3}, 8}});
}

TEST(transpose, transpose_c2_rejects_an_axis_out_of_range) {
  expect_rejected_types("transpose_c2", "transpose", {{"axes", "(0, 2)"}}, {{{2, 3}, 8}});
  expect_rejected_types("transpose_c2", "transpose", {{"axes", "(-3, 0)"}}, {{{2, 3}, 8}});
}

TEST(transpose, transpose_c3_rejects_repeated_axes) {
  // 0 and -2 are the same axis of rank 2.
  expect_rejected_types("transpose_c3", "transpose", {{"axes", "(0, -2)"}}, {{{2, 3}, 8}});
  expect_rejected_types("transpose_c3", "transpose", {{"axes", "(1, 1)"}}, {{{2, 3}, 8}});
}

TEST(transpose, transpose_b2_every_axis_moves) {
  // transpose_b2: axes (2, 0, 1) on x (1, 2, 3) = 1..6 give y (3, 1, 2) with
  // y[c, 0, b] = x[0, b, c] = 1 + 3 b + c: the read index reaches d_k - 1 on every axis.
  expect_outputs("transpose", {{"axes", "(2, 0, 1)"}}, {T({1, 2, 3}, 8, {1, 2, 3, 4, 5, 6})},
                 {T({3, 1, 2}, 8, {1, 4, 2, 5, 3, 6})});
}

}  // namespace
}  // namespace cvm::oracle
