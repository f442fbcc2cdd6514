// dense: edge cases and one test per constraint label (spec/ops/dense.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

const AttrMap kNoBias2 = {{"units", "2"}, {"use_bias", "false"}};

TEST(dense, weight_rows_are_units_and_output_is_row_major) {
  // Distinguishes w (U, K) from w (K, U) and y (M, U) row-major from column-major:
  // x (2, 3), U = 2. y[0, 0] = 1*1 + 2*0 + 3*(-1) = -2, y[0, 1] = 1*2 + 2*1 + 3*0 = 4,
  // y[1, 0] = 4 - 6 = -2, y[1, 1] = 8 + 5 = 13. p = 4 + 3 + bits(3) = 9, gas 3*3.
  expect_outputs("dense", kNoBias2,
                 {T({2, 3}, 4, {1, 2, 3, 4, 5, 6}), T({2, 3}, 3, {1, 0, -1, 2, 1, 0})},
                 {T({2, 2}, 9, {-2, 4, -2, 13})}, 9);
}

TEST(dense, bias_is_added_per_unit_and_costs_one_more_gas) {
  // Distinguishes b[n] (per unit) from b[m] (per row), and gas 3K + 1 from 3(K + 1).
  // M = 3 rows, U = 2: bias (100, -100). K = 1: p = 2 + 2 + 1 = 5, p_y = max(5, 8) + 1 = 9.
  expect_outputs("dense", {{"units", "2"}},
                 {T({3, 1}, 2, {1, 0, -1}), T({2, 1}, 2, {1, -1}), T({2}, 8, {100, -100})},
                 {T({3, 2}, 9, {101, -101, 100, -100, 99, -99})}, 4);
}

TEST(dense, use_bias_defaults_to_true_and_sets_the_input_count) {
  // use_bias absent means true: two inputs are op_c1; with use_bias false three are op_c1.
  expect_rejected("op_c1", "dense", {{"units", "1"}}, {T({1, 1}, 8, {1}), T({1, 1}, 8, {1})});
  expect_rejected("op_c1", "dense", {{"units", "1"}, {"use_bias", "false"}},
                     {T({1, 1}, 8, {1}), T({1, 1}, 8, {1}), T({1}, 8, {1})});
  // The bool syntax: "FALSE" and "0" both mean false.
  expect_outputs("dense", {{"units", "1"}, {"use_bias", "FALSE"}},
                 {T({1, 1}, 8, {3}), T({1, 1}, 8, {-4})}, {T({1, 1}, 17, {-12})}, 3);
  expect_outputs("dense", {{"units", "1"}, {"use_bias", "0"}},
                 {T({1, 1}, 8, {3}), T({1, 1}, 8, {-4})}, {T({1, 1}, 17, {-12})}, 3);
}

TEST(dense, power_of_two_k_adds_log2_plus_one_bits) {
  // bits(4) = 3, not log2(4) = 2: p = 2 + 2 + 3 = 7. bits(1) = 1: p = 2 + 2 + 1 = 5.
  expect_outputs("dense", {{"units", "1"}, {"use_bias", "false"}},
                 {T({1, 4}, 2, {1, 1, 1, 1}), T({1, 4}, 2, {1, 1, 1, -1})},
                 {T({1, 1}, 7, {2})}, 12);
  expect_outputs("dense", {{"units", "1"}, {"use_bias", "false"}},
                 {T({1, 1}, 2, {-1}), T({1, 1}, 2, {1})}, {T({1, 1}, 5, {-1})}, 3);
}

TEST(dense, bias_precision_larger_than_product_precision_wins) {
  // p = 2 + 2 + bits(1) = 5 < p_b = 10: p_y = max(5, 10) + 1 = 11 (not 6).
  expect_outputs("dense", {{"units", "1"}},
                 {T({1, 1}, 2, {1}), T({1, 1}, 2, {-1}), T({1}, 10, {511})},
                 {T({1, 1}, 11, {510})}, 4);
  // A bias of precision 1 (only 0) still adds one bit: max(5, 1) + 1 = 6.
  expect_outputs("dense", {{"units", "1"}}, {T({1, 1}, 2, {1}), T({1, 1}, 2, {1}), T({1}, 1, {0})},
                 {T({1, 1}, 6, {1})}, 4);
}

TEST(dense, precision_one_operands_give_zero) {
  // Precision 1 admits only 0: the product is 0 whatever K. p = 1 + 8 + bits(3) = 11.
  expect_outputs("dense", {{"units", "1"}, {"use_bias", "false"}},
                 {T({1, 3}, 1, {0, 0, 0}), T({1, 3}, 8, {127, -127, 127})}, {T({1, 1}, 11, {0})});
}

TEST(dense, dense_b1_and_dense_b2_hold_at_precision_8_extremes_without_bias) {
  // dense_b1, dense_b2: K = 65535 is the largest K with p = 8 + 8 + 16 = 32. All-127 times
  // all-(+-127) reaches +-65535 * 16129 = +-1057014015, inside R(32); the partial sums grow
  // monotonically up to that value.
  const int64_t k = 65535;
  expect_outputs("dense", {{"units", "2"}, {"use_bias", "false"}},
                 {filled({1, k}, 8, 127),
                  [&] {
                    Tensor w = filled({2, k}, 8, 127);
                    for (int64_t i = k; i < 2 * k; ++i) w.data[static_cast<size_t>(i)] = -127;
                    return w;
                  }()},
                 {T({1, 2}, 32, {1057014015, -1057014015})}, 3 * k);
}

TEST(dense, dense_b2_holds_at_precision_8_extremes_with_widest_bias) {
  // dense_b2 with a bias: K = 32767 gives p = 31, p_b = 31, p_y = 32. The biased sum
  // -(32767 * 16129) - (2^30 - 1) = -528498943 - 1073741823 = -1602240766 fits R(32).
  const int64_t k = 32767;
  expect_outputs("dense", {{"units", "1"}},
                 {filled({1, k}, 8, -127), filled({1, k}, 8, 127), T({1}, 31, {-1073741823})},
                 {T({1, 1}, 32, {-1602240766})}, 3 * k + 1);
}

TEST(dense, output_precision_above_32_is_rejected) {
  // K = 65536: p = 8 + 8 + 17 = 33 (op_c3). A bias of precision 32 always gives >= 33.
  expect_rejected_types("op_c3", "dense", {{"units", "1"}, {"use_bias", "false"}},
                           {{{1, 65536}, 8}, {{1, 65536}, 8}});
  expect_rejected_types("op_c3", "dense", {{"units", "1"}},
                           {{{1, 1}, 1}, {{1, 1}, 1}, {{1}, 32}});
}

TEST(dense, dense_c1_rejects_units_below_one) {
  expect_rejected("dense_c1", "dense", {{"units", "0"}, {"use_bias", "false"}},
                     {T({1, 1}, 8, {1}), T({1, 1}, 8, {1})});
  expect_rejected("dense_c1", "dense", {{"units", "-1"}, {"use_bias", "false"}},
                     {T({1, 1}, 8, {1}), T({1, 1}, 8, {1})});
}

TEST(dense, units_is_required) {
  expect_rejected("attr_c2", "dense", {{"use_bias", "false"}},
                     {T({1, 1}, 8, {1}), T({1, 1}, 8, {1})});
}

TEST(dense, dense_c2_rejects_x_of_rank_other_than_2) {
  // No implicit flattening of leading dims: rank 3 and rank 1 are both rejected.
  expect_rejected_types("dense_c2", "dense", kNoBias2, {{{1, 2, 3}, 8}, {{2, 3}, 8}});
  expect_rejected_types("dense_c2", "dense", kNoBias2, {{{3}, 8}, {{2, 3}, 8}});
}

TEST(dense, dense_c3_rejects_w_not_units_by_k) {
  // Wrong unit count, wrong K, transposed (K, U), and an extra dim.
  expect_rejected_types("dense_c3", "dense", kNoBias2, {{{1, 3}, 8}, {{3, 3}, 8}});
  expect_rejected_types("dense_c3", "dense", kNoBias2, {{{1, 3}, 8}, {{2, 4}, 8}});
  expect_rejected_types("dense_c3", "dense", kNoBias2, {{{1, 3}, 8}, {{3, 2}, 8}});
  expect_rejected_types("dense_c3", "dense", kNoBias2, {{{1, 3}, 8}, {{2, 3, 1}, 8}});
}

TEST(dense, dense_c4_rejects_b_not_units) {
  expect_rejected_types("dense_c4", "dense", {{"units", "2"}},
                           {{{1, 3}, 8}, {{2, 3}, 8}, {{3}, 8}});
  expect_rejected_types("dense_c4", "dense", {{"units", "2"}},
                           {{{1, 3}, 8}, {{2, 3}, 8}, {{2, 1}, 8}});
}

TEST(dense, dense_c5_rejects_operand_precision_above_8) {
  // x or w of precision 9 is rejected; the bias may be wider (precision 8 operands pass).
  expect_rejected_types("dense_c5", "dense", kNoBias2, {{{1, 3}, 9}, {{2, 3}, 8}});
  expect_rejected_types("dense_c5", "dense", kNoBias2, {{{1, 3}, 8}, {{2, 3}, 9}});
  expect_outputs("dense", {{"units", "1"}},
                 {T({1, 1}, 8, {127}), T({1, 1}, 8, {127}), T({1}, 20, {-16129})},
                 {T({1, 1}, 21, {0})});
}

}  // namespace
}  // namespace cvm::oracle
