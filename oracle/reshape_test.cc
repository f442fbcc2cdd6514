// reshape: each shape code, the cursor rule, and one test per constraint
// label (spec/ops/reshape.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

// 0, 1, ..., 23 with alternating signs: values reveal any reordering.
std::vector<int32_t> iota24() {
  std::vector<int32_t> v;
  for (int32_t i = 0; i < 24; ++i) v.push_back(i % 2 ? -i : i);
  return v;
}

Tensor x234() { return T({2, 3, 4}, 8, iota24()); }

TEST(reshape, literal_dims) {
  // Plain positive literals; data keeps its flat order. A bare int is a 1-tuple.
  expect_outputs("reshape", {{"shape", "(4, 6)"}}, {x234()}, {T({4, 6}, 8, iota24())}, 1);
  expect_outputs("reshape", {{"shape", "24"}}, {x234()}, {T({24}, 8, iota24())});
}

TEST(reshape, code_0_copies_the_source_dim_at_the_cursor) {
  // (0, 0, 0) is the identity; (0, -1) keeps d0 and infers 12.
  expect_outputs("reshape", {{"shape", "(0, 0, 0)"}}, {x234()}, {T({2, 3, 4}, 8, iota24())});
  expect_outputs("reshape", {{"shape", "(0, -1)"}}, {x234()}, {T({2, 12}, 8, iota24())});
}

TEST(reshape, literal_advances_the_cursor) {
  // Quirk: on (4, 3, 2), the literal 2 consumes d0, so the 0 copies d1 = 3
  // (not d0 = 4) and -1 becomes 24 / 6 = 4. A cursor that literals did not
  // advance would give (2, 4, 3).
  expect_outputs("reshape", {{"shape", "(2, 0, -1)"}}, {T({4, 3, 2}, 8, iota24())},
                 {T({2, 3, 4}, 8, iota24())});
}

TEST(reshape, code_minus_1_advances_the_cursor) {
  // Quirk: (-1, 0) on (2, 3, 4): the -1 consumes d0, the 0 copies d1 = 3,
  // so -1 becomes 8. Without the advance it would be (12, 2).
  expect_outputs("reshape", {{"shape", "(-1, 0)"}}, {x234()}, {T({8, 3}, 8, iota24())});
}

TEST(reshape, code_minus_1_alone_flattens) {
  // A lone -1 infers |x|.
  expect_outputs("reshape", {{"shape", "(-1,)"}}, {x234()}, {T({24}, 8, iota24())});
}

TEST(reshape, code_minus_2_copies_the_remaining_dims) {
  // (0, -2) copies everything; (-2, 1) appends a unit dim after all of x's.
  expect_outputs("reshape", {{"shape", "(0, -2)"}}, {x234()}, {T({2, 3, 4}, 8, iota24())});
  expect_outputs("reshape", {{"shape", "(-2, 1)"}}, {x234()}, {T({2, 3, 4, 1}, 8, iota24())});
  // After -3 only d2 remains: (-3, -2) -> (6, 4).
  expect_outputs("reshape", {{"shape", "(-3, -2)"}}, {x234()}, {T({6, 4}, 8, iota24())});
}

TEST(reshape, code_minus_2_past_the_end_copies_nothing) {
  // On (2, 3) the literals 1, 1, 6 move the cursor to 3 > N = 2: the -2 adds nothing.
  expect_outputs("reshape", {{"shape", "(1, 1, 6, -2)"}}, {T({2, 3}, 8, {1, 2, 3, 4, 5, 6})},
                 {T({1, 1, 6}, 8, {1, 2, 3, 4, 5, 6})});
  // A second -2 copies nothing either.
  expect_outputs("reshape", {{"shape", "(-2, -2)"}}, {x234()}, {T({2, 3, 4}, 8, iota24())});
}

TEST(reshape, code_minus_3_merges_two_dims) {
  // (0, -3) merges d1 * d2 = 12; (-3, 0) merges d0 * d1 = 6 then copies d2.
  expect_outputs("reshape", {{"shape", "(0, -3)"}}, {x234()}, {T({2, 12}, 8, iota24())});
  expect_outputs("reshape", {{"shape", "(-3, 0)"}}, {x234()}, {T({6, 4}, 8, iota24())});
}

TEST(reshape, code_minus_4_splits_one_dim) {
  // Both factors given, left factor -1, right factor -1; the split consumes one source dim.
  expect_outputs("reshape", {{"shape", "(-4, 1, 2, -2)"}}, {x234()},
                 {T({1, 2, 3, 4}, 8, iota24())});
  expect_outputs("reshape", {{"shape", "(0, 0, -4, -1, 2)"}}, {x234()},
                 {T({2, 3, 2, 2}, 8, iota24())});
  expect_outputs("reshape", {{"shape", "(0, 0, -4, 4, -1)"}}, {x234()},
                 {T({2, 3, 4, 1}, 8, iota24())});
}

TEST(reshape, split_minus_1_does_not_count_as_the_infer_code) {
  // The -1 inside a -4 is local: one more -1 code is still allowed.
  expect_outputs("reshape", {{"shape", "(-4, -1, 1, -1)"}}, {x234()},
                 {T({2, 1, 12}, 8, iota24())});
}

TEST(reshape, reshape_b1_holds_at_precision_1_and_32) {
  // reshape_b1: values are copied and the precision is carried over.
  expect_outputs("reshape", {{"shape", "(-1)"}}, {T({1, 2}, 1, {0, 0})}, {T({2}, 1, {0, 0})});
  expect_outputs("reshape", {{"shape", "(2, 1)"}}, {T({2}, 32, {2147483647, -2147483647})},
                 {T({2, 1}, 32, {2147483647, -2147483647})});
}

TEST(reshape, reshape_c1_rejects_an_empty_shape) {
  expect_rejected("reshape_c1", "reshape", {{"shape", "()"}}, {T({1}, 8, {0})});
}

TEST(reshape, missing_shape_is_attr_c2) {
  expect_rejected_types("attr_c2", "reshape", {}, {{{2, 3}, 8}});
}

TEST(reshape, reshape_c2_rejects_codes_below_minus_4) {
  expect_rejected_types("reshape_c2", "reshape", {{"shape", "(-5,)"}}, {{{2, 3}, 8}});
  expect_rejected_types("reshape_c2", "reshape", {{"shape", "(6, -9223372036854775808)"}},
                           {{{2, 3}, 8}});
}

TEST(reshape, reshape_c3_rejects_two_infer_codes) {
  expect_rejected_types("reshape_c3", "reshape", {{"shape", "(-1, -1)"}}, {{{2, 3}, 8}});
}

TEST(reshape, reshape_c4_rejects_code_0_past_the_source_dims) {
  // Literals 2, 3 move the cursor to 2 = N.
  expect_rejected_types("reshape_c4", "reshape", {{"shape", "(2, 3, 0)"}}, {{{2, 3}, 8}});
}

TEST(reshape, reshape_c5_rejects_merge_without_two_dims) {
  // The cursor is at 2 of 3: only d2 remains.
  expect_rejected_types("reshape_c5", "reshape", {{"shape", "(0, 0, -3)"}}, {{{2, 3, 4}, 8}});
  expect_rejected_types("reshape_c5", "reshape", {{"shape", "(-3,)"}}, {{{6}, 8}});
}

TEST(reshape, reshape_c6_rejects_a_truncated_or_sourceless_split) {
  // Only one entry follows the -4.
  expect_rejected_types("reshape_c6", "reshape", {{"shape", "(-4, 2)"}}, {{{6}, 8}});
  // Two entries follow, but the cursor is past the single source dim.
  expect_rejected_types("reshape_c6", "reshape", {{"shape", "(6, -4, 1, 1)"}}, {{{6}, 8}});
}

TEST(reshape, reshape_c7_rejects_bad_split_factors) {
  // Both -1.
  expect_rejected_types("reshape_c7", "reshape", {{"shape", "(-4, -1, -1)"}}, {{{6}, 8}});
  // A factor that is neither -1 nor >= 1 (0 and -2 are not codes here).
  expect_rejected_types("reshape_c7", "reshape", {{"shape", "(-4, 0, 6)"}}, {{{6}, 8}});
  expect_rejected_types("reshape_c7", "reshape", {{"shape", "(-4, -2, 3)"}}, {{{6}, 8}});
  // -1 with a factor that does not divide 6.
  expect_rejected_types("reshape_c7", "reshape", {{"shape", "(-4, 4, -1)"}}, {{{6}, 8}});
  expect_rejected_types("reshape_c7", "reshape", {{"shape", "(-4, -1, 4)"}}, {{{6}, 8}});
  // Both given but 2 * 2 != 6; and a huge factor is rejected without overflow.
  expect_rejected_types("reshape_c7", "reshape", {{"shape", "(-4, 2, 2)"}}, {{{6}, 8}});
  expect_rejected_types("reshape_c7", "reshape",
                           {{"shape", "(-4, 4611686018427387904, 4611686018427387904)"}},
                           {{{6}, 8}});
}

TEST(reshape, reshape_c8_rejects_a_size_mismatch) {
  // Without -1: 5 != 6.
  expect_rejected_types("reshape_c8", "reshape", {{"shape", "(5,)"}}, {{{2, 3}, 8}});
  // With -1: 4 does not divide 6 (truncation would give the wrong (4, 1)).
  expect_rejected_types("reshape_c8", "reshape", {{"shape", "(-1, 4)"}}, {{{2, 3}, 8}});
  // With -1: the other dims exceed |x| (an inferred 0 is not allowed).
  expect_rejected_types("reshape_c8", "reshape", {{"shape", "(7, -1)"}}, {{{2, 3}, 8}});
  // Huge literals whose product would overflow int64 are rejected cleanly.
  expect_rejected_types("reshape_c8", "reshape",
                           {{"shape", "(9223372036854775807, 9223372036854775807, -1)"}},
                           {{{2, 3}, 8}});
  expect_rejected_types("reshape_c8", "reshape", {{"shape", "(1073741823, 1073741823)"}},
                           {{{1 << 15, 1 << 15}, 8}});
}

TEST(reshape, output_dim_above_two_to_the_24_is_op_c2) {
  // The size matches but the single output dim 2^25 exceeds 2^24.
  expect_rejected_types("op_c2", "reshape", {{"shape", "(-1,)"}}, {{{4096, 8192}, 8}});
  // Rank 7 output.
  expect_rejected_types("op_c2", "reshape", {{"shape", "(1, 1, 1, 1, 1, 1, -1)"}},
                           {{{2, 3}, 8}});
}

}  // namespace
}  // namespace cvm::oracle
