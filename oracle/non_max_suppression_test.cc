// non_max_suppression: edge cases and one test per constraint label
// (spec/ops/non_max_suppression.rst).
#include <initializer_list>

#include "support.h"

namespace cvm::oracle {
namespace {

using Row = std::vector<int32_t>;  // [id, score, x1, y1, x2, y2]
const Row kNone = {-1, -1, -1, -1, -1, -1};
constexpr int32_t M = 2147483647;  // R(32)
constexpr int32_t R31 = 1073741823;  // R(31)

std::vector<int32_t> flat(std::initializer_list<Row> rows) {
  std::vector<int32_t> out;
  for (const Row& r : rows) out.insert(out.end(), r.begin(), r.end());
  return out;
}

// One batch of rows with precision p and the given valid count; expects the
// output rows (same precision unless p_out is given) and gas weight 20.
void expect_nms(const AttrMap& attrs, std::initializer_list<Row> rows, int32_t valid_count,
                std::initializer_list<Row> expected, int p = 8, int p_out = 0) {
  const auto n = static_cast<int64_t>(rows.size());
  expect_outputs("non_max_suppression", attrs,
                 {T({1, n, 6}, p, flat(rows)), T({1}, 32, {valid_count})},
                 {T({1, n, 6}, p_out ? p_out : p, flat(expected))}, 20);
}

TEST(non_max_suppression, sorts_by_signed_score_descending) {
  // Disjoint boxes, scores -3, 5, 0, -1: the output is by score descending
  // (signed comparison), not input order or ascending.
  expect_nms({},
             {{0, -3, 0, 0, 1, 1}, {0, 5, 2, 2, 3, 3}, {0, 0, 4, 4, 5, 5}, {0, -1, 6, 6, 7, 7}},
             4,
             {{0, 5, 2, 2, 3, 3}, {0, 0, 4, 4, 5, 5}, {0, -1, 6, 6, 7, 7}, {0, -3, 0, 0, 1, 1}});
}

TEST(non_max_suppression, equal_scores_keep_input_order) {
  // Stable sort: among equal scores the earlier input row comes first.
  expect_nms({},
             {{0, 4, 0, 0, 1, 1},
              {1, 7, 2, 2, 3, 3},
              {2, 4, 4, 4, 5, 5},
              {3, 7, 6, 6, 7, 7},
              {4, 4, 8, 8, 9, 9}},
             5,
             {{1, 7, 2, 2, 3, 3},
              {3, 7, 6, 6, 7, 7},
              {0, 4, 0, 0, 1, 1},
              {2, 4, 4, 4, 5, 5},
              {4, 4, 8, 8, 9, 9}});
}

TEST(non_max_suppression, equal_scores_keep_input_order_in_a_long_list) {
  // 40 disjoint boxes with scores n mod 3: long enough that an unstable sort
  // (e.g. introsort) reorders ties. Expected: all rows with score 2 in input
  // order, then those with score 1, then those with score 0.
  const int64_t n = 40;
  std::vector<int32_t> in, want;
  for (int32_t i = 0; i < n; ++i) {
    const Row r = {i, i % 3, 2 * i, 0, 2 * i + 1, 1};
    in.insert(in.end(), r.begin(), r.end());
  }
  for (int32_t s = 2; s >= 0; --s)
    for (int32_t i = 0; i < n; ++i)
      if (i % 3 == s) {
        const Row r = {i, s, 2 * i, 0, 2 * i + 1, 1};
        want.insert(want.end(), r.begin(), r.end());
      }
  expect_outputs("non_max_suppression", {}, {T({1, n, 6}, 8, in), T({1}, 8, {40})},
                 {T({1, n, 6}, 8, want)}, 20);
}

TEST(non_max_suppression, equal_scores_earlier_row_suppresses_later) {
  // Tied scores, overlapping boxes (IOU 100 / 110 -> 90): the earlier input row
  // is kept and suppresses the later one, whichever box it has.
  expect_nms({}, {{0, 5, 0, 0, 10, 10}, {0, 5, 0, 0, 10, 11}}, 2, {{0, 5, 0, 0, 10, 10}, kNone});
  expect_nms({}, {{0, 5, 0, 0, 10, 11}, {0, 5, 0, 0, 10, 10}}, 2, {{0, 5, 0, 0, 10, 11}, kNone});
}

TEST(non_max_suppression, valid_count_is_clamped_to_0_n) {
  const std::initializer_list<Row> rows = {{0, 1, 0, 0, 1, 1}, {0, 2, 2, 2, 3, 3}, {0, 9, 4, 4, 5, 5}};
  // Above N: all rows take part.
  expect_nms({}, rows, 5, {{0, 9, 4, 4, 5, 5}, {0, 2, 2, 2, 3, 3}, {0, 1, 0, 0, 1, 1}});
  // INT32_MAX (valid_count has its own precision, here 32).
  expect_nms({}, rows, M, {{0, 9, 4, 4, 5, 5}, {0, 2, 2, 2, 3, 3}, {0, 1, 0, 0, 1, 1}});
  // Negative: nothing takes part.
  expect_nms({}, rows, -2, {kNone, kNone, kNone});
  // 1: rows 1 and 2 are ignored although their scores are higher.
  expect_nms({}, rows, 1, {{0, 1, 0, 0, 1, 1}, kNone, kNone});
}

// r0 and r1 are identical boxes of one class (r1 is suppressed by r0); r2 and
// r3 are disjoint from everything.
const std::initializer_list<Row> kLimitRows = {
    {0, 9, 0, 0, 10, 10}, {0, 8, 0, 0, 10, 10}, {0, 7, 20, 20, 30, 30}, {0, 6, 40, 40, 50, 50}};

TEST(non_max_suppression, max_output_size_counts_kept_rows) {
  // Distinguishes "kept" from "looked at": the suppressed r1 does not count.
  expect_nms({{"max_output_size", "2"}}, kLimitRows, 4,
             {{0, 9, 0, 0, 10, 10}, {0, 7, 20, 20, 30, 30}, kNone, kNone});
  expect_nms({{"max_output_size", "1"}}, kLimitRows, 4, {{0, 9, 0, 0, 10, 10}, kNone, kNone, kNone});
  // 0 keeps nothing (formal; E-non_max_suppression-1).
  expect_nms({{"max_output_size", "0"}}, kLimitRows, 4, {kNone, kNone, kNone, kNone});
  // Above T, or negative other than -1: no limit.
  for (const char* v : {"10", "-7"})
    expect_nms({{"max_output_size", v}}, kLimitRows, 4,
               {{0, 9, 0, 0, 10, 10}, {0, 7, 20, 20, 30, 30}, {0, 6, 40, 40, 50, 50}, kNone});
}

TEST(non_max_suppression, top_k_counts_rows_looked_at) {
  // Distinguishes top_k from max_output_size: the suppressed r1 uses one of
  // the top_k places.
  expect_nms({{"top_k", "2"}}, kLimitRows, 4, {{0, 9, 0, 0, 10, 10}, kNone, kNone, kNone});
  expect_nms({{"top_k", "3"}}, kLimitRows, 4,
             {{0, 9, 0, 0, 10, 10}, {0, 7, 20, 20, 30, 30}, kNone, kNone});
  expect_nms({{"top_k", "0"}}, kLimitRows, 4, {kNone, kNone, kNone, kNone});
  expect_nms({{"top_k", "-5"}}, kLimitRows, 4,
             {{0, 9, 0, 0, 10, 10}, {0, 7, 20, 20, 30, 30}, {0, 6, 40, 40, 50, 50}, kNone});
  // top_k applies to the sorted order: the best-scoring rows are looked at.
  expect_nms({{"top_k", "1"}}, {{0, 1, 0, 0, 1, 1}, {0, 2, 2, 2, 3, 3}}, 2,
             {{0, 2, 2, 2, 3, 3}, kNone});
  // A negative-id row also uses a top_k place.
  expect_nms({{"top_k", "1"}}, {{-1, 9, 0, 0, 1, 1}, {0, 2, 2, 2, 3, 3}}, 2, {kNone, kNone});
}

TEST(non_max_suppression, negative_ids_are_skipped_and_never_suppress) {
  // r0 (id -1, best score) is not kept, so it does not suppress r1 although
  // their boxes are identical, not even with force_suppress; r2 (id -5) is skipped.
  for (const char* force : {"false", "true"})
    expect_nms({{"force_suppress", force}},
               {{-1, 9, 0, 0, 10, 10}, {0, 8, 0, 0, 10, 10}, {-5, 7, 50, 50, 60, 60}}, 3,
               {{0, 8, 0, 0, 10, 10}, kNone, kNone});
}

TEST(non_max_suppression, negative_id_does_not_stop_suppression) {
  // Formal semantics (E-non_max_suppression-2): after the skipped id -1 row,
  // r2 is still suppressed by r0 (identical box, same id).
  expect_nms({}, {{0, 9, 0, 0, 10, 10}, {-1, 8, 50, 50, 60, 60}, {0, 7, 0, 0, 10, 10}}, 3,
             {{0, 9, 0, 0, 10, 10}, kNone, kNone});
}

TEST(non_max_suppression, only_equal_ids_suppress_unless_forced) {
  // Identical boxes with ids 3 and 4: both kept; forced: the second goes.
  const std::initializer_list<Row> rows = {{3, 9, 0, 0, 10, 10}, {4, 8, 0, 0, 10, 10}};
  expect_nms({}, rows, 2, {{3, 9, 0, 0, 10, 10}, {4, 8, 0, 0, 10, 10}});
  expect_nms({{"force_suppress", "1"}}, rows, 2, {{3, 9, 0, 0, 10, 10}, kNone});
  // Same id 3 twice: suppressed without force.
  expect_nms({}, {{3, 9, 0, 0, 10, 10}, {3, 8, 0, 0, 10, 10}}, 2, {{3, 9, 0, 0, 10, 10}, kNone});
}

TEST(non_max_suppression, iou_threshold_is_inclusive_on_a_truncated_percent) {
  // IOU = 8100 quot 119 = 68 (68.07): threshold 68 suppresses (>=), 69 does not.
  const std::initializer_list<Row> a = {{0, 9, 0, 0, 10, 10}, {0, 8, 1, 1, 11, 11}};
  expect_nms({{"iou_threshold", "68"}}, a, 2, {{0, 9, 0, 0, 10, 10}, kNone});
  expect_nms({{"iou_threshold", "69"}}, a, 2, {{0, 9, 0, 0, 10, 10}, {0, 8, 1, 1, 11, 11}});
  // IOU = 10000 quot 130 = 76 (76.92, truncated not rounded): 77 keeps both.
  const std::initializer_list<Row> b = {{0, 9, 0, 0, 10, 10}, {0, 8, 0, 0, 10, 13}};
  expect_nms({{"iou_threshold", "76"}}, b, 2, {{0, 9, 0, 0, 10, 10}, kNone});
  expect_nms({{"iou_threshold", "77"}}, b, 2, {{0, 9, 0, 0, 10, 10}, {0, 8, 0, 0, 10, 13}});
}

TEST(non_max_suppression, iou_is_at_most_100) {
  // Identical boxes: IOU 100; a threshold of 101 (or INT32_MAX) suppresses nothing.
  const std::initializer_list<Row> rows = {{0, 9, 0, 0, 10, 10}, {0, 8, 0, 0, 10, 10}};
  expect_nms({{"iou_threshold", "100"}}, rows, 2, {{0, 9, 0, 0, 10, 10}, kNone});
  expect_nms({{"iou_threshold", "101"}}, rows, 2, {{0, 9, 0, 0, 10, 10}, {0, 8, 0, 0, 10, 10}});
  expect_nms({{"iou_threshold", "2147483647"}}, rows, 2,
             {{0, 9, 0, 0, 10, 10}, {0, 8, 0, 0, 10, 10}});
}

TEST(non_max_suppression, degenerate_boxes_never_overlap) {
  // Threshold 1: any positive IOU would suppress the second row.
  const AttrMap t1 = {{"iou_threshold", "1"}};
  // Touching edges: w = 10 - 10 = 0 (no +1 in widths).
  expect_nms(t1, {{0, 9, 0, 0, 10, 10}, {0, 8, 10, 0, 20, 10}}, 2,
             {{0, 9, 0, 0, 10, 10}, {0, 8, 10, 0, 20, 10}});
  // Identical points: S = 0.
  expect_nms(t1, {{0, 9, 5, 5, 5, 5}, {0, 8, 5, 5, 5, 5}}, 2,
             {{0, 9, 5, 5, 5, 5}, {0, 8, 5, 5, 5, 5}});
  // Identical boxes inverted in both axes: areas +100 each (S > 0), but w = 0.
  expect_nms(t1, {{0, 9, 10, 10, 0, 0}, {0, 8, 10, 10, 0, 0}}, 2,
             {{0, 9, 10, 10, 0, 0}, {0, 8, 10, 10, 0, 0}});
  // Inverted in x only: areas -100 each, S <= 0.
  expect_nms(t1, {{0, 9, 10, 0, 0, 10}, {0, 8, 10, 0, 0, 10}}, 2,
             {{0, 9, 10, 0, 0, 10}, {0, 8, 10, 0, 0, 10}});
}

TEST(non_max_suppression, suppressed_rows_do_not_suppress) {
  // A = [0,0,10,10] kept; B = [0,0,10,15]: IOU(A,B) = 10000 quot 150 = 66 -> suppressed;
  // C = [0,5,10,20]: IOU(A,C) = 5000 quot 200 = 25 -> kept, although
  // IOU(B,C) = 10000 quot 200 = 50 would suppress it had B been kept.
  expect_nms({}, {{0, 9, 0, 0, 10, 10}, {0, 8, 0, 0, 10, 15}, {0, 7, 0, 5, 10, 20}}, 3,
             {{0, 9, 0, 0, 10, 10}, {0, 7, 0, 5, 10, 20}, kNone});
}

TEST(non_max_suppression, large_intersection_uses_the_fallback_percent) {
  // I = 96100696261261129 > floor((2^63-1)/100), U = 192201392522522284:
  // I quot (U quot 100) = I quot 1922013925225222 = 50, while
  // (100 I) quot U = 49. So threshold 50 suppresses and 51 does not.
  const std::initializer_list<Row> rows = {
      {0, 9, -R31, -R31, -763740700, -763740700},
      {0, 8, -R31, -R31, -635332547, -635335514}};
  expect_nms({{"iou_threshold", "50"}}, rows, 2, {{0, 9, -R31, -R31, -763740700, -763740700}, kNone},
             31);
  expect_nms({{"iou_threshold", "51"}}, rows, 2,
             {{0, 9, -R31, -R31, -763740700, -763740700},
              {0, 8, -R31, -R31, -635332547, -635335514}},
             31);
}

TEST(non_max_suppression, intersection_at_the_limit_uses_the_exact_percent) {
  // I = 92233501067554668 <= floor((2^63-1)/100), U = 184467002135109337:
  // (100 I) quot U = 49 (the fallback would give 50), so threshold 50 keeps both.
  const std::initializer_list<Row> rows = {
      {0, 9, -R31, -R31, -793796827, -744271740},
      {0, 8, -R31, -R31, -644246036, -644245172}};
  expect_nms({{"iou_threshold", "50"}}, rows, 2,
             {{0, 9, -R31, -R31, -793796827, -744271740},
              {0, 8, -R31, -R31, -644246036, -644245172}},
             31);
  expect_nms({{"iou_threshold", "49"}}, rows, 2, {{0, 9, -R31, -R31, -793796827, -744271740}, kNone},
             31);
}

TEST(non_max_suppression, non_max_suppression_b2_b3_hold_at_precision_32) {
  // Widths 2^32 - 2 (non_max_suppression_b2 leaves int32), areas (2^32-2)^2 and
  // U beyond int64 (non_max_suppression_b3). Identical boxes: IOU
  // I quot (U quot 100) = 100.
  const Row big = {0, 9, -M, -M, M, M};
  const Row big2 = {0, 8, -M, -M, M, M};
  expect_nms({{"iou_threshold", "100"}}, {big, big2}, 2, {big, kNone}, 32);
  expect_nms({{"iou_threshold", "101"}}, {big, big2}, 2, {big, big2}, 32);
  // Half of it: I = (2^32-2)(2^31-1) ~ 2^63, U = (2^32-2)^2: IOU 50.
  const Row half = {0, 8, -M, -M, M, 0};
  expect_nms({{"iou_threshold", "50"}}, {big, half}, 2, {big, kNone}, 32);
  expect_nms({{"iou_threshold", "51"}}, {big, half}, 2, {big, half}, 32);
  // Inverted extreme boxes: S = 2 (2^32-2)^2 > 2^64, w = 0: IOU 0.
  const Row inv = {0, 9, M, M, -M, -M};
  const Row inv2 = {0, 8, M, M, -M, -M};
  expect_nms({{"iou_threshold", "1"}}, {inv, inv2}, 2, {inv, inv2}, 32);
}

TEST(non_max_suppression, non_max_suppression_b1_holds_at_precision_extremes) {
  // p = 32: ids and scores +-(2^31 - 1) are copied; -1 rows fill the rest.
  expect_nms({}, {{-M, M, 0, 0, 1, 1}, {M, -M, 0, 0, 1, 1}, {0, 0, 5, 5, 6, 6}}, 3,
             {{0, 0, 5, 5, 6, 6}, {M, -M, 0, 0, 1, 1}, kNone}, 32);
  // p = 1 (E-non_max_suppression-5): the output precision is raised to 2.
  expect_nms({}, {{0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}}, 1, {{0, 0, 0, 0, 0, 0}, kNone}, 1, 2);
  // p = 5: the output keeps the data precision (valid_count's plays no part).
  expect_nms({}, {{1, 2, 3, 4, 5, 6}}, 1, {{1, 2, 3, 4, 5, 6}}, 5);
}

TEST(non_max_suppression, batches_are_independent_and_gas_is_20_b_per_element) {
  // B = 3; batch 0 has valid_count 0 (all -1) and the later batches are still
  // processed (E-non_max_suppression-3). Gas weight 20 * 3 per output element.
  expect_outputs("non_max_suppression", {},
                 {T({3, 1, 6}, 8, flat({{0, 9, 0, 0, 1, 1}, {1, 8, 0, 0, 1, 1}, {2, 7, 0, 0, 1, 1}})),
                  T({3}, 8, {0, 1, -3})},
                 {T({3, 1, 6}, 8, flat({kNone, {1, 8, 0, 0, 1, 1}, kNone}))}, 60);
}

TEST(non_max_suppression, inputs_are_not_modified) {
  // top_k < valid_count (the case where upstream's CPU writes its input).
  const std::vector<Tensor> inputs = {
      T({1, 3, 6}, 8, flat({{0, 7, 0, 0, 1, 1}, {0, 8, 2, 2, 3, 3}, {0, 9, 4, 4, 5, 5}})),
      T({1}, 8, {3})};
  const std::vector<Tensor> copy = inputs;
  const OpRun run = run_reference("non_max_suppression", {{"top_k", "1"}}, inputs);
  EXPECT_EQ(inputs, copy);
  ASSERT_EQ(run.outputs.size(), 1u);
  EXPECT_EQ(run.outputs[0].data, flat({{0, 9, 4, 4, 5, 5}, kNone, kNone}));
}

// A valid single-box input for the rejection tests.
std::vector<Tensor> one_box() { return {T({1, 1, 6}, 8, {0, 9, 0, 0, 1, 1}), T({1}, 8, {1})}; }

TEST(non_max_suppression, non_max_suppression_c1_rejects_iou_threshold_not_positive) {
  expect_rejected("non_max_suppression_c1", "non_max_suppression", {{"iou_threshold", "0"}},
                     one_box());
  expect_rejected("non_max_suppression_c1", "non_max_suppression", {{"iou_threshold", "-50"}},
                     one_box());
}

TEST(non_max_suppression, non_max_suppression_c2_to_c6_reject_other_layouts) {
  expect_rejected("non_max_suppression_c2", "non_max_suppression", {{"coord_start", "1"}},
                     one_box());
  expect_rejected("non_max_suppression_c3", "non_max_suppression", {{"score_index", "0"}},
                     one_box());
  expect_rejected("non_max_suppression_c4", "non_max_suppression", {{"id_index", "1"}},
                     one_box());
  expect_rejected("non_max_suppression_c5", "non_max_suppression", {{"return_indices", "true"}},
                     one_box());
  expect_rejected("non_max_suppression_c6", "non_max_suppression",
                     {{"invalid_to_bottom", "False"}}, one_box());
  // The required values themselves are accepted when given explicitly.
  expect_outputs("non_max_suppression",
                 {{"coord_start", "2"}, {"score_index", "1"}, {"id_index", "0"},
                  {"return_indices", "0"}, {"invalid_to_bottom", "TRUE"}},
                 one_box(), {T({1, 1, 6}, 8, {0, 9, 0, 0, 1, 1})}, 20);
}

TEST(non_max_suppression, non_max_suppression_c7_rejects_data_not_b_n_6) {
  expect_rejected_types("non_max_suppression_c7", "non_max_suppression", {},
                           {{{1, 6}, 8}, {{1}, 8}});
  expect_rejected_types("non_max_suppression_c7", "non_max_suppression", {},
                           {{{1, 2, 5}, 8}, {{1}, 8}});
  expect_rejected_types("non_max_suppression_c7", "non_max_suppression", {},
                           {{{1, 2, 1, 6}, 8}, {{1}, 8}});
}

TEST(non_max_suppression, non_max_suppression_c8_rejects_valid_count_not_b) {
  expect_rejected_types("non_max_suppression_c8", "non_max_suppression", {},
                           {{{2, 3, 6}, 8}, {{3}, 8}});
  expect_rejected_types("non_max_suppression_c8", "non_max_suppression", {},
                           {{{2, 3, 6}, 8}, {{2, 1}, 8}});
}

TEST(non_max_suppression, input_count_is_op_c1) {
  expect_rejected_types("op_c1", "non_max_suppression", {}, {{{1, 1, 6}, 8}});
}

}  // namespace
}  // namespace cvm::oracle
