// Directed cases of sum, max and max_pool2d: every axis subset (listed
// positive and negative), exclude and keepdims on small shapes with size-1
// dims in every position; precision extremes (p_y = 32 exactly); the tile
// boundaries of fast/reduce_common.h (kTile = 1024 accumulators, K1 split
// into parts when there are few items) and the launch shapes of
// cuda/reduce_common.cuh (thread kernel from 2048 outputs or K <= 16, the
// block kernel's K split into parts of >= 1024 elements); every max_pool2d
// attribute variant, windows wider than the input, padding that must not
// read as 0 and the AVX2 stride-2 windows (fast/max_pool2d_avx2.cc).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "directed/directed_cases.h"
#include "support.h"

namespace cvm::oracle {
namespace {

int64_t rmax(int p) { return (int64_t{1} << (p - 1)) - 1; }

// The number of bits of k (0 for 0): a sum of k terms has p_y = p_x + bits_of(k).
int bits_of(int64_t k) {
  int b = 0;
  for (; k > 0; k >>= 1) ++b;
  return b;
}

// Ranks 1 to 5 with size-1 dims in every position.
const std::vector<Shape> kSmallShapes = {{1},       {7},          {1, 1},       {3, 1, 5},
                                         {2, 3, 4}, {1, 4, 1, 3}, {2, 3, 2, 3}, {3, 2, 1, 2, 2}};

// Every subset of axes (listed positive, and negative), exclude, keepdims,
// for sum at a precision low enough that p_y <= 32 for the worst K.
void all_axis_variants(CaseList& c, const Shape& shape, int p) {
  const auto n = static_cast<int64_t>(shape.size());
  const int px = c.op() == "sum" ? std::max(1, std::min(p, 32 - bits_of(shape_size(shape)))) : p;
  for (int64_t mask = 0; mask < (int64_t{1} << n); ++mask)
    for (bool negative : {false, true}) {
      std::vector<int64_t> axes;
      for (int64_t a = 0; a < n; ++a)
        if (mask >> a & 1) axes.push_back(negative ? a - n : a);
      if (negative && axes.empty()) continue;
      for (const char* exclude : {"false", "true"})
        for (const char* keep : {"false", "true"})
          c.add({{"axis", tuple_attr(axes)}, {"exclude", exclude}, {"keepdims", keep}}, {c.x(shape, px)});
    }
}

// Tile boundaries, K split into parts and launch shapes, at precision p.
void boundary_cases(CaseList& c, int p) {
  c.group("kept inner length around the fast kTile (1024) and the CUDA 2048 outputs");
  for (int64_t inner : {1023, 1024, 1025, 2047, 2048, 2049}) {
    c.add({{"axis", "0"}}, {c.x({3, inner}, p)});
    c.add({{"axis", "(0, 2)"}}, {c.x({2, 3, 2, inner}, p)});
  }
  c.group("CUDA block kernel: K split into parts of >= 1024 elements");
  for (int64_t k : {1023, 1024, 2047, 2048, 2049, 5000}) c.add({{"axis", "1"}}, {c.x({3, k}, p)});
  c.group("few items, long K1: split into parts (threads > 1)");
  c.add({{"axis", "0"}}, {c.x({40000, 3}, p)});
  c.add({{"axis", "1"}}, {c.x({2, 20000, 5}, p)});
  c.add({{"axis", "(0, 2)"}}, {c.x({50, 3, 700, 2}, p)});
  c.group("innermost reduced: short and long segments, many and few outputs");
  c.add({{"axis", "-1"}}, {c.x({30000, 2}, p)});
  c.add({{"axis", "-1"}}, {c.x({3, 40000}, p)});
  c.add({{"axis", "(0, 2)"}, {"keepdims", "true"}}, {c.x({40, 50, 60}, p)});
  c.group("whole reduction, large (several parts)");
  c.add({}, {c.x({7, 100, 150}, p)});
  c.add({{"axis", "(0, 1, 2)"}}, {c.x({7, 100, 150}, p)});
  c.group("nothing reduced (K = 1)");
  c.add({{"axis", "(0, 1)"}, {"exclude", "true"}}, {c.x({300, 400}, p)});
  c.add({{"axis", "(1, 3)"}, {"exclude", "true"}}, {c.x({5, 3, 7, 9, 2}, p)});
  if (!c.with_cuda()) return;
  // The launch shapes below test no boundary of the fast kernels and are too
  // large to run on every fast configuration.
  c.group("CUDA thread kernel: K around 16");
  for (int64_t k : {15, 16, 17}) c.add({{"axis", "-1"}}, {c.x({2048, k}, p)});
  c.group("CUDA: whole reduction over 2048 parts");
  c.add({}, {c.x({3000, 1000}, std::min(p, 10))});  // sum: p_y = p + 22 <= 32
  c.group("CUDA thread kernel with K split into parts (few outputs, long K)");
  const int ps = c.op() == "sum" ? std::min(p, 8) : p;
  c.add({{"axis", "0"}}, {c.x({1000, 2048}, ps)});
  c.add({{"axis", "(0, 2)"}}, {c.x({300, 2, 17, 2100}, ps)});
  c.add({{"axis", "(1, 3)"}}, {c.x({3, 70, 5, 80, 2049}, ps)});
}

void sum_cases(CaseList& c) {
  c.group("every axis variant, small shapes");
  for (int p : {1, 8, 24})
    for (const Shape& s : kSmallShapes) all_axis_variants(c, s, p);
  c.group("p_y = p_x + bits(K) = 32 exactly: the int32 accumulator at its limit");
  // K up to 65535 for the CUDA parts; fast splits the same way at 1000.
  std::vector<int64_t> ks{1, 2, 3, 7, 255, 1000};
  if (c.with_cuda()) ks.insert(ks.end(), {4095, 65535});
  for (int64_t k : ks) {
    const int px = 32 - bits_of(k);
    c.add({{"axis", "-1"}}, {filled({3, k}, px, static_cast<int32_t>(rmax(px)))});
    c.add({{"axis", "0"}}, {filled({k, 5}, px, static_cast<int32_t>(-rmax(px)))});
    c.add({}, {filled({k}, px, static_cast<int32_t>(-rmax(px)))});
    c.add({}, {c.x({k, 3}, px - 2)});
  }
  c.add({}, {filled({4}, 31, 1)}, Expect::rejected);  // p_y = 34 (op_c3)
  boundary_cases(c, 12);
}

void max_cases(CaseList& c) {
  c.group("every axis variant, small shapes");
  for (int p : {1, 8, 32})
    for (const Shape& s : kSmallShapes) all_axis_variants(c, s, p);
  c.group("all negative: the default () gives 0, listed axes the true maximum");
  const Tensor x = T({2, 3}, 8, {-5, -3, -9, -4, -7, -6});
  c.add({}, {x});
  c.add({{"axis", "(0, 1)"}}, {x});
  c.add({{"exclude", "true"}}, {x});
  c.add({}, {T({1, 1}, 32, {-2147483647})});
  c.add({{"keepdims", "true"}}, {T({1}, 32, {5})});
  c.add({}, {filled({300, 301}, 32, -2147483647)});
  c.add({{"axis", "0"}}, {filled({3000, 3}, 32, -2147483647)});
  boundary_cases(c, 32);
  boundary_cases(c, 1);
}

AttrMap pool_attrs(int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw, bool ceil,
                   bool one_value_padding) {
  return {{"pool_size", tuple_attr({kh, kw})},
          {"strides", tuple_attr({sh, sw})},
          {"padding", ph == pw && one_value_padding ? tuple_attr({ph}) : tuple_attr({ph, pw})},
          {"ceil_mode", ceil ? "true" : "false"}};
}

void max_pool2d_cases(CaseList& c) {
  c.group("attribute variants");
  // Windows 1 to 3 (square, and k x max(1, k - 1) with strides (s, 1) and
  // padding (p, 0)), strides 1 to 3, paddings below the window, both ceil
  // modes, padding (p, p) also written (p,). ceil_mode may break
  // max_pool2d_c8, so a case may be rejected (alike).
  bool one_value = false;
  for (int64_t k : {1, 2, 3})
    for (int64_t st : {1, 2, 3})
      for (int64_t pad = 0; pad < k; ++pad)
        for (bool ceil : {false, true})
          for (const Shape& s : std::vector<Shape>{{1, 1, 1, 1}, {1, 2, 5, 7}, {2, 1, 4, 4}})
            if (k <= s[2] + 2 * pad && k <= s[3] + 2 * pad) {
              c.add(pool_attrs(k, k, st, st, pad, pad, ceil, one_value = !one_value), {c.x(s, 8)}, Expect::either);
              c.add(pool_attrs(k, std::max<int64_t>(1, k - 1), st, 1, pad, 0, ceil, false), {c.x(s, 8)},
                    Expect::either);
            }
  c.group("windows wider than the input; asymmetric sizes, strides and padding");
  c.add(pool_attrs(6, 7, 1, 1, 1, 1, false, true), {c.x({1, 3, 4, 5}, 32)});  // covers the padded input
  c.add(pool_attrs(4, 5, 4, 5, 0, 0, true, false), {c.x({1, 3, 4, 5}, 32)});
  c.add(pool_attrs(3, 2, 2, 3, 2, 0, true, false), {c.x({2, 2, 9, 11}, 1)});
  c.add(pool_attrs(5, 4, 3, 2, 4, 2, true, false), {c.x({2, 2, 9, 11}, 32)});
  c.add(pool_attrs(2, 2, 4096, 4096, 1, 1, false, true), {c.x({1, 1, 3, 3}, 8)});
  c.group("all-negative input with padding: padding must not read as 0");
  const AttrMap a{{"pool_size", "(3, 3)"}, {"padding", "(1, 1)"}};
  c.add(a, {filled({1, 2, 5, 6}, 32, -2147483647)});
  c.add(a, {filled({1, 2, 5, 6}, 1, 0)});
  c.add(pool_attrs(3, 3, 2, 2, 1, 1, false, false), {filled({1, 2, 6, 35}, 32, -2147483647)});  // AVX2 windows
  c.group("large");
  c.add(pool_attrs(3, 3, 1, 1, 1, 1, false, true), {c.x({2, 8, 113, 115}, 8)});  // ~208K elements, stride 1
  c.add(pool_attrs(3, 3, 2, 2, 1, 1, true, false), {c.x({1, 16, 64, 65}, 16)});   // stride 2, ceil
  c.add(pool_attrs(2, 2, 2, 2, 0, 0, false, true), {c.x({3, 5, 40, 1030}, 32)});  // wide rows
  c.group("AVX2 stride-2 windows and row maxima around the 8-column vector");
  // Output widths 7, 8, 9, 15, 16, 17, window widths 1 to 4 with and
  // without padding, 3 rows per window; ResNet's pool (3x3, stride 2, pad
  // 1) with wide values, ceil mode, unequal strides.
  for (int64_t w : {14, 15, 16, 17, 18, 30, 33, 34})
    for (int64_t kw : {1, 2, 3, 4})
      for (int64_t pad : {int64_t{0}, kw / 2})
        c.add(pool_attrs(3, kw, 2, 2, pad, pad, false, false), {c.x({1, 2, 5, w}, 8)});
  c.add(pool_attrs(3, 3, 2, 2, 1, 1, false, false), {c.x({1, 4, 22, 22}, 32)});
  c.add(pool_attrs(3, 3, 2, 2, 1, 1, true, false), {c.x({1, 3, 21, 37}, 16)});
  c.add(pool_attrs(2, 3, 1, 2, 0, 1, false, false), {c.x({2, 3, 9, 40}, 8)});
}

}  // namespace

const std::vector<OpCaseList>& reduce_case_lists() {
  static const std::vector<OpCaseList> lists{
      {"sum", sum_cases}, {"max", max_cases}, {"max_pool2d", max_pool2d_cases}};
  return lists;
}

}  // namespace cvm::oracle
