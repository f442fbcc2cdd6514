// tile: edge cases and one test per constraint label (spec/ops/tile.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

Tensor x22() { return T({2, 2}, 8, {1, 2, 3, 4}); }

TEST(tile, equal_ranks) {
  // reps (2, 2): the whole block repeats in both dims (repeat would double each element).
  expect_outputs("tile", {{"reps", "(2, 2)"}}, {x22()},
                 {T({4, 4}, 8, {1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4})}, 1);
}

TEST(tile, fewer_reps_than_dims_tile_the_trailing_dims) {
  // reps (3) is right-aligned: (2, 2) -> (2, 6), not (6, 2).
  expect_outputs("tile", {{"reps", "(3,)"}}, {x22()},
                 {T({2, 6}, 8, {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4})});
  // A bare int is a 1-tuple.
  expect_outputs("tile", {{"reps", "3"}}, {x22()},
                 {T({2, 6}, 8, {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4})});
}

TEST(tile, more_reps_than_dims_add_leading_dims) {
  // reps (2, 1, 1) on (2, 2): K = 3, output (2, 2, 2) = two copies of x.
  expect_outputs("tile", {{"reps", "(2, 1, 1)"}}, {x22()},
                 {T({2, 2, 2}, 8, {1, 2, 3, 4, 1, 2, 3, 4})});
  // reps (1, 3) on (2): output (1, 6); the leading 1 only adds a dim.
  expect_outputs("tile", {{"reps", "(1, 3)"}}, {T({2}, 8, {5, -6})},
                 {T({1, 6}, 8, {5, -6, 5, -6, 5, -6})});
}

TEST(tile, all_ones_is_the_identity) {
  expect_outputs("tile", {{"reps", "(1, 1)"}}, {x22()}, {x22()});
}

TEST(tile, mixed_reps_rank_3) {
  // (1, 2, 1) on x (2, 1, 2) = [[[1,2]],[[3,4]]]: dim 1 tiled twice -> (2, 2, 2).
  expect_outputs("tile", {{"reps", "(1, 2, 1)"}}, {T({2, 1, 2}, 8, {1, 2, 3, 4})},
                 {T({2, 2, 2}, 8, {1, 2, 1, 2, 3, 4, 3, 4})});
}

TEST(tile, tile_b1_holds_at_precision_1_and_32) {
  // tile_b1: values are copied with the input precision.
  expect_outputs("tile", {{"reps", "2"}}, {T({1}, 1, {0})}, {T({2}, 1, {0, 0})});
  expect_outputs("tile", {{"reps", "2"}}, {T({2}, 32, {2147483647, -2147483647})},
                 {T({4}, 32, {2147483647, -2147483647, 2147483647, -2147483647})});
}

TEST(tile, tile_c1_rejects_empty_reps) {
  expect_rejected_types("tile_c1", "tile", {{"reps", "()"}}, {{{2}, 8}});
}

TEST(tile, tile_c2_rejects_reps_outside_1_to_4096) {
  expect_rejected_types("tile_c2", "tile", {{"reps", "(0,)"}}, {{{2}, 8}});
  expect_rejected_types("tile_c2", "tile", {{"reps", "(2, -1)"}}, {{{2}, 8}});
  expect_rejected_types("tile_c2", "tile", {{"reps", "(4097,)"}}, {{{2}, 8}});
}

TEST(tile, missing_reps_fails_tile_c2_through_the_default) {
  // Quirk: the default (0,) is out of range, so absence is tile_c2, not attr_c2.
  expect_rejected_types("tile_c2", "tile", {}, {{{2}, 8}});
}

TEST(tile, reps_4096_is_inside_the_range) {
  // The range is inclusive: 4096 copies of a 2-element vector.
  const ValidatedOp v = validate_op("tile", {{"reps", "4096"}}, {{{2}, 8}});
  EXPECT_EQ(v.outputs[0].shape, Shape({8192}));
}

TEST(tile, output_limits_are_op_c2) {
  // Rank 7 from seven reps; a dim 4096 * 2^13 = 2^25 > 2^24.
  expect_rejected_types("op_c2", "tile", {{"reps", "(1, 1, 1, 1, 1, 1, 1)"}}, {{{2}, 8}});
  expect_rejected_types("op_c2", "tile", {{"reps", "4096"}}, {{{8192}, 8}});
}

TEST(tile, tile_b2_reads_wrap_modulo_the_input_dims) {
  // tile_b2: x (2) against reps (2, 3) is x (1, 2) tiled to (2, 6); y[i, j] = x[j mod 2].
  expect_outputs("tile", {{"reps", "(2, 3)"}}, {T({2}, 8, {1, 2})},
                 {T({2, 6}, 8, {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2})});
}

}  // namespace
}  // namespace cvm::oracle
