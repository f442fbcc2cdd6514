// repeat: edge cases and one test per constraint label (spec/ops/repeat.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

Tensor x22() { return T({2, 2}, 8, {1, -2, 3, -4}); }

TEST(repeat, default_axis_is_0) {
  // Rows repeat consecutively: r0, r0, r1, r1 (tile would give r0, r1, r0, r1).
  expect_outputs("repeat", {{"repeats", "2"}}, {x22()},
                 {T({4, 2}, 8, {1, -2, 1, -2, 3, -4, 3, -4})}, 1);
}

TEST(repeat, last_axis_repeats_each_element) {
  expect_outputs("repeat", {{"repeats", "3"}, {"axis", "1"}}, {x22()},
                 {T({2, 6}, 8, {1, 1, 1, -2, -2, -2, 3, 3, 3, -4, -4, -4})});
}

TEST(repeat, negative_axis_is_normalized) {
  // -1 on rank 2 is axis 1; -2 is axis 0.
  expect_outputs("repeat", {{"repeats", "2"}, {"axis", "-1"}}, {x22()},
                 {T({2, 4}, 8, {1, 1, -2, -2, 3, 3, -4, -4})});
  expect_outputs("repeat", {{"repeats", "2"}, {"axis", "-2"}}, {x22()},
                 {T({4, 2}, 8, {1, -2, 1, -2, 3, -4, 3, -4})});
}

TEST(repeat, middle_axis_of_rank_3) {
  // (2, 1, 2) along axis 1: each (1, 2) slice appears twice.
  expect_outputs("repeat", {{"repeats", "2"}, {"axis", "1"}}, {T({2, 1, 2}, 8, {1, 2, 3, 4})},
                 {T({2, 2, 2}, 8, {1, 2, 1, 2, 3, 4, 3, 4})});
}

TEST(repeat, one_repeat_is_the_identity) {
  expect_outputs("repeat", {{"repeats", "1"}}, {x22()}, {x22()});
}

TEST(repeat, repeat_b1_holds_at_precision_1_and_32) {
  // repeat_b1: values are copied; the precision is kept.
  expect_outputs("repeat", {{"repeats", "2"}}, {T({1}, 1, {0})}, {T({2}, 1, {0, 0})});
  expect_outputs("repeat", {{"repeats", "2"}}, {T({2}, 32, {2147483647, -2147483647})},
                 {T({4}, 32, {2147483647, 2147483647, -2147483647, -2147483647})});
}

TEST(repeat, repeat_c1_rejects_repeats_below_1) {
  expect_rejected_types("repeat_c1", "repeat", {{"repeats", "0"}}, {{{2}, 8}});
  expect_rejected_types("repeat_c1", "repeat", {{"repeats", "-3"}}, {{{2}, 8}});
}

TEST(repeat, repeat_c2_rejects_axis_out_of_range) {
  expect_rejected_types("repeat_c2", "repeat", {{"repeats", "2"}, {"axis", "2"}},
                           {{{2, 2}, 8}});
  expect_rejected_types("repeat_c2", "repeat", {{"repeats", "2"}, {"axis", "-3"}},
                           {{{2, 2}, 8}});
}

TEST(repeat, no_upper_bound_besides_the_output_limits) {
  // repeats = 2^31 - 1 passes repeat_c1; the dim 2 * (2^31 - 1) > 2^24 is op_c2.
  expect_rejected_types("op_c2", "repeat", {{"repeats", "2147483647"}}, {{{2}, 8}});
  // 2^24 itself is still a valid output dim; 2^24 + 1 is not.
  const ValidatedOp v = validate_op("repeat", {{"repeats", "16777216"}}, {{{1}, 8}});
  EXPECT_EQ(v.outputs[0].shape, Shape({int64_t{1} << 24}));
  expect_rejected_types("op_c2", "repeat", {{"repeats", "16777217"}}, {{{1}, 8}});
}

TEST(repeat, missing_repeats_is_attr_c2) {
  expect_rejected_types("attr_c2", "repeat", {{"axis", "0"}}, {{{2}, 8}});
}

TEST(repeat, repeat_b2_reads_divide_by_the_repeat_count) {
  // repeat_b2: repeats 2 on axis 1 of x (2, 2): y[i, j] = x[i, j div 2], the last column
  // j = 3 reads column 1 = d - 1.
  expect_outputs("repeat", {{"repeats", "2"}, {"axis", "1"}}, {T({2, 2}, 8, {1, 2, 3, 4})},
                 {T({2, 4}, 8, {1, 1, 2, 2, 3, 3, 4, 4})});
}

}  // namespace
}  // namespace cvm::oracle
