// get_valid_counts: edge cases and one test per constraint label
// (spec/ops/get_valid_counts.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(get_valid_counts, score_equal_to_threshold_is_dropped) {
  // Distinguishes > from >=: scores 2 (= threshold) are dropped, 3 is kept;
  // the kept row moves to the top and the others become -1 rows.
  // Count precision np(3 * 2) = bits(7) + 1 = 4.
  expect_outputs("get_valid_counts", {{"score_threshold", "2"}},
                 {T({1, 3, 2}, 8, {10, 2, 11, 3, 12, 2})},
                 {T({1}, 4, {1}), T({1, 3, 2}, 8, {11, 3, -1, -1, -1, -1})}, 1);
}

TEST(get_valid_counts, kept_rows_keep_input_order_and_all_columns) {
  // Distinguishes packing in input order from sorting by score: kept scores
  // 1, 9, 5 stay in that order; every column (K = 4) is copied, negative
  // values included. np(4 * 4) = bits(17) + 1 = 6.
  expect_outputs("get_valid_counts", {},
                 {T({1, 4, 4}, 8,
                    {-5, 1, -6, -7,  //
                     8, 0, 8, 8,     //
                     -9, 9, 100, -100,  //
                     3, 5, -1, 0})},
                 {T({1}, 6, {3}), T({1, 4, 4}, 8,
                                    {-5, 1, -6, -7,     //
                                     -9, 9, 100, -100,  //
                                     3, 5, -1, 0,       //
                                     -1, -1, -1, -1})},
                 1);
}

TEST(get_valid_counts, batches_are_independent) {
  // Each batch has its own count and packing; gas weight stays 1 per element
  // of output 0 (not B*N*K). np(2 * 2) = bits(5) + 1 = 4.
  expect_outputs("get_valid_counts", {},
                 {T({3, 2, 2}, 8, {0, 0, 1, 1,  2, 2, 3, 3,  4, -4, 5, 0})},
                 {T({3}, 4, {1, 2, 0}),
                  T({3, 2, 2}, 8, {1, 1, -1, -1,  2, 2, 3, 3,  -1, -1, -1, -1})},
                 1);
}

TEST(get_valid_counts, extreme_thresholds) {
  // INT32_MIN is a valid threshold: every score (>= -(2^31-1)) exceeds it.
  expect_outputs("get_valid_counts", {{"score_threshold", "-2147483648"}},
                 {T({1, 2, 2}, 32, {1, -2147483647, 2, 0})},
                 {T({1}, 4, {2}), T({1, 2, 2}, 32, {1, -2147483647, 2, 0})});
  // INT32_MAX: nothing exceeds it.
  expect_outputs("get_valid_counts", {{"score_threshold", "2147483647"}},
                 {T({1, 2, 2}, 32, {1, 2147483647, 2, 0})},
                 {T({1}, 4, {0}), T({1, 2, 2}, 32, {-1, -1, -1, -1})});
}

TEST(get_valid_counts, precision_1_input_gives_precision_2_output) {
  // E-get_valid_counts-1: with p_x = 1 all values are 0; threshold 0 keeps
  // nothing, so y is all -1 and needs precision 2.
  expect_outputs("get_valid_counts", {}, {T({1, 1, 2}, 1, {0, 0})},
                 {T({1}, 3, {0}), T({1, 1, 2}, 2, {-1, -1})});
  // A negative threshold keeps the zero rows; the precision is still 2.
  expect_outputs("get_valid_counts", {{"score_threshold", "-1"}}, {T({1, 1, 2}, 1, {0, 0})},
                 {T({1}, 3, {1}), T({1, 1, 2}, 2, {0, 0})});
}

TEST(get_valid_counts, count_precision_is_np_of_n_times_k) {
  // Distinguishes np(N * K) from np(N) or bits(N * K) + 1: np(n) = bits(n + 1) + 1
  // over-estimates at n = 2^k - 1, so N * K = 15 (N = 5, K = 3) gives
  // bits(16) + 1 = 6, while N * K = 14 (N = 7, K = 2) gives bits(15) + 1 = 5.
  Tensor x15 = filled({1, 5, 3}, 8, 1);
  Tensor y15 = x15;
  expect_outputs("get_valid_counts", {}, {x15}, {T({1}, 6, {5}), y15});
  Tensor x14 = filled({1, 7, 2}, 8, 1);
  Tensor y14 = x14;
  expect_outputs("get_valid_counts", {}, {x14}, {T({1}, 5, {7}), y14});
}

TEST(get_valid_counts, get_valid_counts_b1_holds_at_precision_extremes) {
  // get_valid_counts_b1 at p_x = 32: values +-(2^31 - 1) are copied, the fill
  // is -1, and the count (<= N) fits np(N * K).
  expect_outputs("get_valid_counts", {},
                 {T({1, 3, 2}, 32, {2147483647, 2147483647, -2147483647, -2147483647, 0, 1})},
                 {T({1}, 4, {2}),
                  T({1, 3, 2}, 32, {2147483647, 2147483647, 0, 1, -1, -1})});
  // K = 31, the largest accepted: np(1 * 31) = bits(32) + 1 = 7.
  Tensor x = filled({1, 1, 31}, 2, 1);
  expect_outputs("get_valid_counts", {}, {x}, {T({1}, 7, {1}), x});
}

TEST(get_valid_counts, get_valid_counts_c1_rejects_rank_other_than_3) {
  expect_rejected_types("get_valid_counts_c1", "get_valid_counts", {}, {{{4, 2}, 8}});
  expect_rejected_types("get_valid_counts_c1", "get_valid_counts", {}, {{{1, 2, 3, 2}, 8}});
}

TEST(get_valid_counts, get_valid_counts_c2_rejects_k_outside_2_to_31) {
  // K = 1 has no score column; K = 32 is allowed by upstream's doc but not its code.
  expect_rejected_types("get_valid_counts_c2", "get_valid_counts", {}, {{{1, 3, 1}, 8}});
  expect_rejected_types("get_valid_counts_c2", "get_valid_counts", {}, {{{1, 3, 32}, 8}});
}

TEST(get_valid_counts, attribute_errors_are_common_labels) {
  expect_rejected("attr_c3", "get_valid_counts", {{"score_threshold", "1.5"}},
                     {T({1, 1, 2}, 8, {0, 0})});
  expect_rejected("attr_c3", "get_valid_counts", {{"score_threshold", "2147483648"}},
                     {T({1, 1, 2}, 8, {0, 0})});
  expect_rejected("attr_c1", "get_valid_counts", {{"threshold", "1"}},
                     {T({1, 1, 2}, 8, {0, 0})});
}

}  // namespace
}  // namespace cvm::oracle
