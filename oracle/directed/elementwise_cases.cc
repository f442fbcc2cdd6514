// Directed cases of the "elem" group (fast/elem_common.h): the element-wise
// unary ops, cvm_lut, where, elemwise_* and broadcast_*.
//
// Blocking of the fast kernels: vector widths 4 (SSE2) and 8 (AVX2) in the
// inner loops (sizes 3..17 straddle both), parallel chunks of >= 16384
// elements (sizes 16383..16385 and ~100K, which splits for 2 and 7 threads,
// mid-row for the broadcast and row-select cases). The CUDA kernels launch
// blocks of 256 threads (sizes 255..257). Values: seeded inputs (about 1/4
// at the extremes +-R(p), 0, +-1) and inputs cycling through the extremes
// at p = 1, 8, 31, 32; shifts of negative values and ties, division by zero
// and negative quotients, broadcasting with missing and size-1 dimensions up
// to rank 6.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cvm/intmath.h"
#include "cvm/shape.h"
#include "directed/directed_cases.h"
#include "support.h"

namespace cvm::oracle {
namespace {

const Expect rejected = Expect::rejected;

// The fast kernels' vector tails (3..17), chunk boundaries (16383..16385),
// a ~100K case split over threads, and size-1 dims up to rank 6.
const std::vector<Shape> kUnaryShapes{{1},     {1, 1, 1}, {3},     {4},        {5},          {7},
                                      {8},     {9},       {15},    {16},       {17},         {3, 5, 7},
                                      {16383}, {16384},   {16385}, {317, 331}, {2, 1, 3, 1, 2, 2}};

// Around the CUDA block size, a multi-block case and rank 6.
const std::vector<Shape> kBlockSizes{{1}, {255}, {256}, {257}, {3, 1000}, {2, 3, 4, 5, 6, 7}};

// A tensor of `shape` at precision p cycling through the extremes.
Tensor extremes(const Shape& shape, int p) {
  const auto r = static_cast<int32_t>(prec_max(p));
  const std::vector<int32_t> cycle = {r, -r, 0, p > 1 ? 1 : 0, p > 1 ? -1 : 0, r / 2, -(r / 3)};
  Tensor t{shape, p, std::vector<int32_t>(static_cast<size_t>(shape_size(shape)))};
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = cycle[(i * 5 + i / 7) % cycle.size()];
  return t;
}

// Every value in [-40, 40] at precision 8: ties of each sign at every shift.
Tensor ramp() {
  Tensor t{{81}, 8, {}};
  for (int v = -40; v <= 40; ++v) t.data.push_back(v);
  return t;
}

// One seeded input of each kUnaryShapes shape at each precision.
void unary_shapes(CaseList& c, const AttrMap& attrs, const std::vector<int>& precisions) {
  for (const Shape& shape : kUnaryShapes)
    for (int p : precisions) c.add(attrs, {c.x(shape, p)});
}

// abs, negative, relu and cvm_precision have no attributes.
void plain_unary_cases(CaseList& c) {
  c.group("vector tails, chunks and precisions");
  unary_shapes(c, {}, {1, 2, 8, 31, 32});
  c.group("precision extremes around the CUDA block size");
  for (int p : {1, 8, 31, 32})
    for (const Shape& s : kBlockSizes) c.add({}, {extremes(s, p)});
}

void abs_cases(CaseList& c) { plain_unary_cases(c); }
void negative_cases(CaseList& c) { plain_unary_cases(c); }
void relu_cases(CaseList& c) { plain_unary_cases(c); }

void cvm_precision_cases(CaseList& c) {
  plain_unary_cases(c);
  c.group("every bit count, both signs, at 2^k - 1, 2^k and 2^k + 1");
  std::vector<int32_t> data{0};
  for (int k = 0; k < 31; ++k) {
    const int64_t v = int64_t{1} << k;
    for (int64_t w : {v - 1, v, v + 1})
      if (w <= 2147483647) {
        data.push_back(static_cast<int32_t>(w));
        data.push_back(static_cast<int32_t>(-w));
      }
  }
  c.add({}, {T({static_cast<int64_t>(data.size())}, 32, data)});
}

void clip_cases(CaseList& c) {
  c.group("bounds of each sign, narrow and widest ranges");
  // +-(2^31 - 2) is the widest valid range: p_y = 32 exactly (op_c3).
  const std::vector<std::pair<std::string, std::string>> bounds{
      {"-2", "3"}, {"0", "1"}, {"-1", "0"}, {"5", "100"}, {"-100", "-5"}, {"-2147483646", "2147483646"}};
  for (const auto& [lo, hi] : bounds) unary_shapes(c, {{"a_min", lo}, {"a_max", hi}}, {1, 8, 32});
  c.group("precision extremes around the CUDA block size");
  for (const Shape& s : kBlockSizes) {
    c.add({{"a_min", "-5"}, {"a_max", "7"}}, {extremes(s, 8)});
    c.add({{"a_min", "-2147483646"}, {"a_max", "2147483646"}}, {extremes(s, 32)});  // clips +-R(32)
  }
  c.group("rejected");
  // The full range +-(2^31 - 1) would need p_y = 33 (op_c3).
  c.add({{"a_min", "-2147483647"}, {"a_max", "2147483647"}}, {extremes({257}, 32)}, rejected);
  c.add({{"a_min", "3"}, {"a_max", "3"}}, {c.x({4}, 8)}, rejected);  // clip_c2: a_min < a_max
}

void cvm_clip_cases(CaseList& c) {
  c.group("every target precision class");
  for (const char* p : {"1", "2", "8", "31", "32"}) unary_shapes(c, {{"precision", p}}, {1, 8, 32});
  unary_shapes(c, {{"precision", "4"}, {"is_sign", "false"}}, {8});
  c.group("precision extremes around the CUDA block size");
  for (const Shape& s : kBlockSizes)
    for (const char* p : {"1", "8", "32"}) c.add({{"precision", p}}, {extremes(s, 32)});
}

void cvm_left_shift_cases(CaseList& c) {
  c.group("(input precision, shift_bit) with p_x + shift_bit <= 32");
  const std::vector<std::pair<int, int>> shifts{{1, 31}, {2, 30}, {8, 1}, {8, 2}, {8, 24}, {16, 16}, {31, 1}, {1, 1}};
  for (const auto& [px, s] : shifts)
    for (const char* p : {"1", "8", "32"}) unary_shapes(c, {{"precision", p}, {"shift_bit", std::to_string(s)}}, {px});
  c.add({{"precision", "8"}, {"shift_bit", "2"}, {"is_sign", "false"}}, {c.x({33}, 8)});
  c.add({{"precision", "8"}, {"shift_bit", "25"}}, {c.x({4}, 8)}, rejected);  // cvm_left_shift_c3
  c.group("ties of each sign and saturation at the extremes");
  for (const char* b : {"1", "5", "8"})
    for (const char* p : {"8", "16", "32"}) {
      c.add({{"shift_bit", b}, {"precision", p}}, {ramp()});
      c.add({{"shift_bit", b}, {"precision", p}}, {extremes({257}, 24)});
    }
}

void cvm_right_shift_cases(CaseList& c) {
  c.group("shift_bit 1..32 and target precisions");
  for (const char* b : {"1", "2", "3", "8", "30", "31", "32"})
    for (const char* p : {"1", "8", "32"}) unary_shapes(c, {{"precision", p}, {"shift_bit", b}}, {1, 8, 32});
  c.group("t = 2^31 exactly: x = 2^31 - 1, shift_bit = 1");
  c.add({{"precision", "32"}, {"shift_bit", "1"}}, {T({4}, 32, {2147483647, -2147483647, 2147483646, -2147483646})});
  c.group("ties of each sign and rounding at the extremes");
  for (const char* b : {"1", "2", "3", "7", "31", "32"})
    for (const char* p : {"1", "4", "8", "32"}) {
      c.add({{"shift_bit", b}, {"precision", p}}, {ramp()});
      c.add({{"shift_bit", b}, {"precision", p}}, {extremes({257}, 32)});
    }
}

void cvm_lut_cases(CaseList& c) {
  c.group("table sizes, index and table precisions, vector tails and chunks");
  const std::vector<Shape> tables{{1}, {2}, {4}, {3, 5}, {100}, {70000}};
  for (const Shape& ts : tables)
    for (int pi : {1, 4, 8, 32})
      for (int pt : {1, 8, 32})
        for (const Shape& shape : {Shape{1}, Shape{7}, Shape{9}, Shape{2, 17}, Shape{16385}, Shape{317, 331}}) {
          if (pi == 1 && shape_size(shape) > 20000) continue;  // all zero: covered by small shapes
          c.add({{"in_dim", std::to_string(shape_size(ts))}}, {c.x(shape, pi), c.x(ts, pt)});
        }
  c.group("indices inside a 100-entry table (not only clamped ones)");
  std::vector<int32_t> idx;
  for (int i = -3; i < 104; ++i) idx.push_back(i);
  c.add({{"in_dim", "100"}}, {T({static_cast<int64_t>(idx.size())}, 8, idx), c.x({100}, 32)});
  c.group("index clipping at both ends, tables at precision extremes");
  for (int p : {1, 8, 32}) {
    c.add({{"in_dim", "5"}}, {c.index({7}, -3, 9), c.x({5}, p)});
    c.add({{"in_dim", "1"}}, {c.index({2, 3}, -2, 2), c.x({1}, p)});
    c.add({{"in_dim", "6"}}, {c.x({3, 4}, 32), c.x({2, 3}, p)});
  }
  c.add({{"in_dim", "4"}}, {T({4}, 32, {-2147483647, 2147483647, 0, 3}), c.x({4}, 8)});
  c.add({{"in_dim", "256"}}, {c.index({301, 307}, -20, 300), c.x({256}, 8)});
  c.group("rejected");
  c.add({{"in_dim", "4"}}, {c.x({4}, 8), c.x({5}, 8)}, rejected);  // in_dim is not the table's size
}

void where_cases(CaseList& c) {
  c.group("condition of the inputs' shape");
  for (const Shape& shape : kUnaryShapes)
    for (const auto& [px, py] : std::vector<std::pair<int, int>>{{8, 4}, {32, 1}, {1, 32}})
      c.add({}, {c.x(shape, 2), c.x(shape, px), c.x(shape, py)});
  c.group("row select: condition of the inputs' first dim");
  const std::vector<Shape> rows{{1, 1}, {1, 5}, {3, 1}, {3, 2},      {4, 3, 5},  {7, 9},
                                {2, 1, 1, 1, 1, 3}, {317, 331}, {3, 40000}, {5, 16384}};
  for (const Shape& shape : rows)
    for (int pc : {1, 2, 32}) c.add({}, {c.x({shape[0]}, pc), c.x(shape, 8), c.x(shape, 32)});
  c.group("rejected");
  c.add({}, {c.x({3}, 2), c.x({2, 3}, 8), c.x({2, 3}, 8)}, rejected);  // condition of neither shape
  c.group("full and leading conditions at the extremes");
  const Tensor x = extremes({4, 3, 5}, 8), y = extremes({4, 3, 5}, 31);
  c.add({}, {extremes({4, 3, 5}, 2), x, y});
  c.add({}, {T({4}, 8, {0, 3, -1, 0}), x, y});
}

void elemwise_cases(CaseList& c) {
  c.group("vector tails, chunks and precision pairs");
  for (const Shape& shape : kUnaryShapes)
    for (const auto& [pa, pb] : std::vector<std::pair<int, int>>{{1, 1}, {8, 4}, {4, 8}, {31, 31}, {31, 1}})
      c.add({}, {c.x(shape, pa), c.x(shape, pb)});
  c.group("precision extremes around the CUDA block size");
  for (int p : {1, 8, 31})
    for (const Shape& s : kBlockSizes) {
      Tensor b = extremes(s, p);
      std::reverse(b.data.begin(), b.data.end());
      c.add({}, {extremes(s, p), b});
    }
}

void elemwise_add_cases(CaseList& c) { elemwise_cases(c); }
void elemwise_sub_cases(CaseList& c) { elemwise_cases(c); }

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

// Missing and unit dimensions in both orders, at the extremes (the first
// input at precision pa, the second at 15).
const std::vector<std::pair<Shape, Shape>> kExtremeBroadcastShapes{
    {{5}, {5}},          {{1}, {300}},           {{300}, {1}},          {{2, 3, 4}, {4}},
    {{2, 1, 4}, {3, 1}}, {{1, 3, 1, 5}, {2, 1, 4, 1}}, {{2, 1, 2, 1, 2, 1}, {1, 2, 1, 2, 1, 2}},
    {{7, 1}, {1, 1, 1, 9}}};

void broadcast_cases(CaseList& c, const std::vector<std::pair<int, int>>& precisions, int pa) {
  c.group("shape pairs and precision pairs");
  for (const auto& [sa, sb] : kBroadcastShapes)
    for (const auto& [p, q] : precisions) c.add({}, {c.x(sa, p), c.x(sb, q)});
  c.group("missing and unit dimensions at the extremes, both orders");
  for (const auto& [sa, sb] : kExtremeBroadcastShapes) {
    c.add({}, {extremes(sa, pa), extremes(sb, 15)});
    c.add({}, {extremes(sb, 15), extremes(sa, pa)});
  }
}

void broadcast_add_cases(CaseList& c) {
  broadcast_cases(c, {{8, 4}, {1, 1}, {31, 31}, {1, 31}}, 31);
  c.group("rejected");
  c.add({}, {c.x({2, 3}, 8), c.x({2}, 8)}, rejected);  // 3 against 2: not broadcastable
}

void broadcast_sub_cases(CaseList& c) { broadcast_cases(c, {{8, 4}, {1, 1}, {31, 31}, {31, 1}}, 31); }
void broadcast_mul_cases(CaseList& c) { broadcast_cases(c, {{8, 4}, {16, 16}, {1, 31}, {31, 1}, {24, 8}}, 16); }

void broadcast_div_cases(CaseList& c) {
  broadcast_cases(c, {{8, 4}, {32, 32}, {32, 2}, {32, 1}, {1, 8}, {4, 32}}, 31);
  c.group("every (a, b) in [-6, 6]^2: truncation toward zero, b = 0 gives 0");
  Tensor a{{13, 1}, 8, {}}, b{{1, 13}, 8, {}};
  for (int v = -6; v <= 6; ++v) {
    a.data.push_back(v);
    b.data.push_back(v);
  }
  c.add({}, {a, b});
  c.add({}, {extremes({300}, 32), extremes({300}, 8)});
}

void broadcast_max_cases(CaseList& c) { broadcast_cases(c, {{8, 4}, {32, 32}, {1, 8}, {1, 1}}, 31); }
void broadcast_greater_cases(CaseList& c) { broadcast_cases(c, {{8, 4}, {32, 32}, {1, 8}, {1, 1}}, 31); }

}  // namespace

const std::vector<OpCaseList>& elementwise_case_lists() {
  static const std::vector<OpCaseList> lists{{"abs", abs_cases},
                                             {"negative", negative_cases},
                                             {"relu", relu_cases},
                                             {"clip", clip_cases},
                                             {"cvm_clip", cvm_clip_cases},
                                             {"cvm_left_shift", cvm_left_shift_cases},
                                             {"cvm_right_shift", cvm_right_shift_cases},
                                             {"cvm_precision", cvm_precision_cases},
                                             {"cvm_lut", cvm_lut_cases},
                                             {"where", where_cases},
                                             {"elemwise_add", elemwise_add_cases},
                                             {"elemwise_sub", elemwise_sub_cases},
                                             {"broadcast_add", broadcast_add_cases},
                                             {"broadcast_sub", broadcast_sub_cases},
                                             {"broadcast_mul", broadcast_mul_cases},
                                             {"broadcast_div", broadcast_div_cases},
                                             {"broadcast_max", broadcast_max_cases},
                                             {"broadcast_greater", broadcast_greater_cases}};
  return lists;
}

}  // namespace cvm::oracle
