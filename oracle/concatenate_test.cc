// concatenate: edge cases and one test per constraint label (spec/ops/concatenate.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(concatenate, default_axis_is_one) {
  // Distinguishes the upstream default axis 1 from 0: (2,1) ++ (2,2) joins rows side by side.
  expect_outputs("concatenate", {}, {T({2, 1}, 8, {1, 2}), T({2, 2}, 8, {3, 4, 5, 6})},
                 {T({2, 3}, 8, {1, 3, 4, 2, 5, 6})}, 1);
}

TEST(concatenate, axis_zero_keeps_input_order) {
  // Distinguishes input order and the axis-0 offset: rows of x_1 follow all rows of x_0.
  expect_outputs("concatenate", {{"axis", "0"}},
                 {T({1, 2}, 8, {1, 2}), T({2, 2}, 8, {3, 4, 5, 6})},
                 {T({3, 2}, 8, {1, 2, 3, 4, 5, 6})});
}

TEST(concatenate, negative_axis_and_middle_axis) {
  // Distinguishes axis -2 (normalised to 1 for rank 3) from the last axis: a middle axis
  // interleaves blocks per leading index.
  expect_outputs("concatenate", {{"axis", "-2"}},
                 {T({2, 1, 2}, 8, {1, 2, 3, 4}), T({2, 2, 2}, 8, {5, 6, 7, 8, 9, 10, 11, 12})},
                 {T({2, 3, 2}, 8, {1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12})});
}

TEST(concatenate, single_input_is_a_copy) {
  // Distinguishes the variadic count: one input is accepted and copied unchanged.
  expect_outputs("concatenate", {{"axis", "0"}}, {T({3}, 5, {-15, 0, 15})},
                 {T({3}, 5, {-15, 0, 15})});
}

TEST(concatenate, precision_is_the_max_not_the_first) {
  // Distinguishes max(p_k) from p_0 and from p_last: the widest input is in the middle.
  expect_outputs("concatenate", {{"axis", "0"}},
                 {T({1}, 2, {1}), T({1}, 17, {-65535}), T({1}, 3, {3})},
                 {T({3}, 17, {1, -65535, 3})});
}

TEST(concatenate, concatenate_b1_holds_at_precision_1_and_32) {
  // concatenate_b1: values of precision 32 and 1 land in a precision-32 output unchanged.
  expect_outputs("concatenate", {{"axis", "0"}},
                 {T({2}, 32, {2147483647, -2147483647}), T({1}, 1, {0})},
                 {T({3}, 32, {2147483647, -2147483647, 0})});
  // All inputs of precision 1: the output has precision 1.
  expect_outputs("concatenate", {{"axis", "0"}}, {T({1}, 1, {0}), T({1}, 1, {0})},
                 {T({2}, 1, {0, 0})});
}

TEST(concatenate, zero_inputs_is_op_c1) {
  expect_rejected_types("op_c1", "concatenate", {}, {});
}

TEST(concatenate, concatenate_c1_rejects_rank_mismatch) {
  expect_rejected_types("concatenate_c1", "concatenate", {{"axis", "0"}},
                           {{{2, 2}, 8}, {{4}, 8}});
}

TEST(concatenate, concatenate_c2_rejects_axis_out_of_range) {
  // The default axis 1 on rank-1 inputs (the quirk).
  expect_rejected_types("concatenate_c2", "concatenate", {}, {{{2}, 8}, {{3}, 8}});
  expect_rejected_types("concatenate_c2", "concatenate", {{"axis", "2"}},
                           {{{2, 2}, 8}, {{2, 2}, 8}});
  expect_rejected_types("concatenate_c2", "concatenate", {{"axis", "-3"}},
                           {{{2, 2}, 8}, {{2, 2}, 8}});
}

TEST(concatenate, concatenate_c3_rejects_dim_mismatch_off_axis) {
  expect_rejected_types("concatenate_c3", "concatenate", {{"axis", "0"}},
                           {{{2, 2}, 8}, {{2, 3}, 8}});
  // A mismatch on the axis itself is fine; one on another axis is not.
  expect_rejected("concatenate_c3", "concatenate", {},
                     {T({1, 2}, 8, {1, 2}), T({2, 2}, 8, {1, 2, 3, 4})});
}

TEST(concatenate, summed_axis_over_limit_is_op_c2) {
  // Two dims of 2^23 + 1 sum past 2^24.
  expect_rejected_types("op_c2", "concatenate", {{"axis", "0"}},
                           {{{8388609}, 8}, {{8388609}, 8}});
}

TEST(concatenate, concatenate_b2_each_column_reads_its_own_input) {
  // concatenate_b2: lengths 2, 1, 3 on axis 1: columns 0-1 read input 0, column 2 input 1 at
  // offset 0, columns 3-5 input 2 at offsets 0-2 (the last reads d - 1 = 2).
  expect_outputs("concatenate", {{"axis", "1"}},
                 {T({1, 2}, 8, {1, 2}), T({1, 1}, 8, {3}), T({1, 3}, 8, {4, 5, 6})},
                 {T({1, 6}, 8, {1, 2, 3, 4, 5, 6})});
}

}  // namespace
}  // namespace cvm::oracle
