// fast == reference for the "elem" group's kernels (fast/elem_common.h):
// element-wise unary ops, cvm_lut, where, elemwise_* and broadcast_*.
//
// Blocking of these kernels: vector widths 4 (SSE2) and 8 (AVX2) in the
// inner loops (sizes 3..17 straddle both), parallel chunks of >= 16384
// elements (sizes 16383..16385 and ~100K, which splits for 2 and 7 threads,
// mid-row for the broadcast and row-select cases).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cvm/intmath.h"
#include "cvm/shape.h"
#include "fast_support.h"
#include "support.h"

namespace cvm::oracle {
namespace {

const std::vector<Shape> kUnaryShapes{{1},     {1, 1, 1}, {3},     {4},       {5},          {7},
                                      {8},     {9},       {15},    {16},      {17},         {3, 5, 7},
                                      {16383}, {16384},   {16385}, {317, 331}, {2, 1, 3, 1, 2, 2}};

void check_unary(const std::string& op, const AttrMap& attrs, const std::vector<int>& precisions) {
  uint64_t seed = 1;
  for (const Shape& shape : kUnaryShapes)
    for (int p : precisions) expect_fast_matches_reference(op, attrs, {seeded_tensor(shape, p, seed++)});
}

// Shape pairs for the broadcast ops: both directions, size-1 dims, lower
// ranks on either side, mergeable and non-mergeable dims, rank 6, and
// large cases whose parallel chunks split rows.
const std::vector<std::pair<Shape, Shape>> kBroadcastShapes{
    {{2, 3}, {3}},
    {{3}, {2, 3}},
    {{2, 1}, {1, 3}},
    {{1}, {5, 7}},
    {{5, 7}, {1}},
    {{1, 1, 1}, {1, 1, 1}},
    {{1}, {1}},
    {{9, 17}, {9, 17}},
    {{4, 1, 6, 1}, {1, 5, 1, 3}},
    {{2, 1, 17}, {2, 5, 17}},
    {{7, 1}, {7, 9}},
    {{7, 9}, {7, 1}},
    {{3, 1, 8}, {3, 4, 1}},
    {{2, 3, 4, 5, 6, 7}, {3, 1, 5, 1, 7}},
    {{2, 3, 4, 5, 6, 7}, {2, 1, 1, 1, 1, 1}},
    {{1, 2, 1, 2, 1, 2}, {2, 1, 2, 1, 2, 1}},
    {{333, 317}, {333, 1}},
    {{333, 317}, {317}},
    {{1, 105000}, {1}},
    {{105000, 1}, {1, 1}},
    {{3, 40, 1, 900}, {40, 7, 1}},
    {{2, 16385}, {2, 16385}},
};

void check_binary(const std::string& op, const std::vector<std::pair<int, int>>& precisions) {
  uint64_t seed = 100;
  for (const auto& [sa, sb] : kBroadcastShapes)
    for (const auto& [pa, pb] : precisions)
      expect_fast_matches_reference(op, {}, {seeded_tensor(sa, pa, seed++), seeded_tensor(sb, pb, seed++)});
}

void check_elemwise(const std::string& op) {
  uint64_t seed = 200;
  for (const Shape& shape : kUnaryShapes)
    for (const auto& [pa, pb] : std::vector<std::pair<int, int>>{{1, 1}, {8, 4}, {4, 8}, {31, 31}, {31, 1}})
      expect_fast_matches_reference(op, {}, {seeded_tensor(shape, pa, seed++), seeded_tensor(shape, pb, seed++)});
}

}  // namespace

TEST(fast_abs, matches_reference) { check_unary("abs", {}, {1, 2, 8, 31, 32}); }
TEST(fast_negative, matches_reference) { check_unary("negative", {}, {1, 2, 8, 31, 32}); }
TEST(fast_relu, matches_reference) { check_unary("relu", {}, {1, 2, 8, 31, 32}); }

TEST(fast_clip, matches_reference) {
  const std::vector<std::pair<std::string, std::string>> bounds{
      {"-2", "3"}, {"0", "1"}, {"-1", "0"}, {"5", "100"}, {"-100", "-5"}, {"-2147483647", "2147483647"}};
  for (const auto& [lo, hi] : bounds) check_unary("clip", {{"a_min", lo}, {"a_max", hi}}, {1, 8, 32});
}

TEST(fast_clip, rejects_like_reference) {
  EXPECT_EQ(fast_vs_reference("clip", {{"a_min", "3"}, {"a_max", "3"}}, {seeded_tensor({4}, 8, 1)}), "");
}

TEST(fast_cvm_clip, matches_reference) {
  for (const char* p : {"1", "2", "8", "31", "32"}) check_unary("cvm_clip", {{"precision", p}}, {1, 8, 32});
  check_unary("cvm_clip", {{"precision", "4"}, {"is_sign", "false"}}, {8});
}

TEST(fast_cvm_left_shift, matches_reference) {
  // (input precision, shift_bit) with p_x + shift_bit <= 32.
  const std::vector<std::pair<int, int>> cases{{1, 31}, {2, 30}, {8, 1}, {8, 2}, {8, 24}, {16, 16}, {31, 1}, {1, 1}};
  for (const auto& [px, s] : cases)
    for (const char* p : {"1", "8", "32"}) {
      uint64_t seed = 300;
      for (const Shape& shape : kUnaryShapes)
        expect_fast_matches_reference("cvm_left_shift", {{"precision", p}, {"shift_bit", std::to_string(s)}},
                                      {seeded_tensor(shape, px, seed++)});
    }
  expect_fast_matches_reference("cvm_left_shift", {{"precision", "8"}, {"shift_bit", "2"}, {"is_sign", "false"}},
                                {seeded_tensor({33}, 8, 7)});
  // cvm_left_shift_c3 violated: both reject alike.
  EXPECT_EQ(fast_vs_reference("cvm_left_shift", {{"precision", "8"}, {"shift_bit", "25"}}, {seeded_tensor({4}, 8, 1)}),
            "");
}

TEST(fast_cvm_right_shift, matches_reference) {
  for (const char* b : {"1", "2", "3", "8", "30", "31", "32"})
    for (const char* p : {"1", "8", "32"}) check_unary("cvm_right_shift", {{"precision", p}, {"shift_bit", b}}, {1, 8, 32});
  // t = 2^31 exactly: x = 2^31 - 1, shift_bit = 1.
  expect_fast_matches_reference("cvm_right_shift", {{"precision", "32"}, {"shift_bit", "1"}},
                                {T({4}, 32, {2147483647, -2147483647, 2147483646, -2147483646})});
}

TEST(fast_cvm_precision, matches_reference) {
  check_unary("cvm_precision", {}, {1, 2, 8, 31, 32});
  // Every bit count, both signs, at 2^k - 1, 2^k and 2^k + 1.
  std::vector<int32_t> data{0};
  for (int k = 0; k < 31; ++k) {
    const int64_t v = int64_t{1} << k;
    for (int64_t w : {v - 1, v, v + 1})
      if (w <= 2147483647) {
        data.push_back(static_cast<int32_t>(w));
        data.push_back(static_cast<int32_t>(-w));
      }
  }
  expect_fast_matches_reference("cvm_precision", {}, {T({static_cast<int64_t>(data.size())}, 32, data)});
}

TEST(fast_cvm_lut, matches_reference) {
  uint64_t seed = 400;
  const std::vector<Shape> tables{{1}, {2}, {4}, {3, 5}, {100}, {70000}};
  for (const Shape& ts : tables)
    for (int pi : {1, 4, 8, 32})
      for (int pt : {1, 8, 32})
        for (const Shape& shape : {Shape{1}, Shape{7}, Shape{9}, Shape{2, 17}, Shape{16385}, Shape{317, 331}}) {
          if (pi == 1 && shape_size(shape) > 20000) continue;  // all zero: covered by small shapes
          expect_fast_matches_reference("cvm_lut", {{"in_dim", std::to_string(shape_size(ts))}},
                                        {seeded_tensor(shape, pi, seed++), seeded_tensor(ts, pt, seed++)});
        }
  // Indices inside a 100-entry table (not only clamped ones).
  std::vector<int32_t> idx;
  for (int i = -3; i < 104; ++i) idx.push_back(i);
  expect_fast_matches_reference("cvm_lut", {{"in_dim", "100"}},
                                {T({static_cast<int64_t>(idx.size())}, 8, idx), seeded_tensor({100}, 32, 9)});
}

TEST(fast_where, elementwise_matches_reference) {
  uint64_t seed = 500;
  for (const Shape& shape : kUnaryShapes)
    for (const auto& [px, py] : std::vector<std::pair<int, int>>{{8, 4}, {32, 1}, {1, 32}})
      expect_fast_matches_reference(
          "where", {}, {seeded_tensor(shape, 2, seed++), seeded_tensor(shape, px, seed++), seeded_tensor(shape, py, seed++)});
}

TEST(fast_where, row_select_matches_reference) {
  uint64_t seed = 600;
  const std::vector<Shape> shapes{{1, 1}, {1, 5}, {3, 1}, {3, 2},      {4, 3, 5},   {7, 9},
                                  {2, 1, 1, 1, 1, 3}, {317, 331}, {3, 40000}, {5, 16384}};
  for (const Shape& shape : shapes)
    for (int pc : {1, 2, 32})
      expect_fast_matches_reference("where", {},
                                    {seeded_tensor({shape[0]}, pc, seed++), seeded_tensor(shape, 8, seed++),
                                     seeded_tensor(shape, 32, seed++)});
}

TEST(fast_where, rejects_like_reference) {
  EXPECT_EQ(fast_vs_reference("where", {}, {seeded_tensor({3}, 2, 1), seeded_tensor({2, 3}, 8, 2), seeded_tensor({2, 3}, 8, 3)}),
            "");
}

TEST(fast_elemwise_add, matches_reference) { check_elemwise("elemwise_add"); }
TEST(fast_elemwise_sub, matches_reference) { check_elemwise("elemwise_sub"); }

TEST(fast_broadcast_add, matches_reference) { check_binary("broadcast_add", {{8, 4}, {1, 1}, {31, 31}, {1, 31}}); }
TEST(fast_broadcast_sub, matches_reference) { check_binary("broadcast_sub", {{8, 4}, {1, 1}, {31, 31}, {31, 1}}); }
TEST(fast_broadcast_mul, matches_reference) {
  check_binary("broadcast_mul", {{8, 4}, {16, 16}, {1, 31}, {31, 1}, {24, 8}});
}
TEST(fast_broadcast_div, matches_reference) {
  check_binary("broadcast_div", {{8, 4}, {32, 32}, {32, 2}, {32, 1}, {1, 8}, {4, 32}});
}
TEST(fast_broadcast_max, matches_reference) { check_binary("broadcast_max", {{8, 4}, {32, 32}, {1, 8}, {1, 1}}); }
TEST(fast_broadcast_greater, matches_reference) {
  check_binary("broadcast_greater", {{8, 4}, {32, 32}, {1, 8}, {1, 1}});
}

TEST(fast_broadcast_add, rejects_like_reference) {
  EXPECT_EQ(fast_vs_reference("broadcast_add", {}, {seeded_tensor({2, 3}, 8, 1), seeded_tensor({2}, 8, 2)}), "");
}

}  // namespace cvm::oracle
