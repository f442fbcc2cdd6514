// The reduce-group cases the fast and the CUDA tests share: every axis
// variant of sum and max on small shapes, and every max_pool2d attribute
// variant. Each test passes its own tensor maker (its seeded stream) and its
// own check (its backend against the reference).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"
#include "support.h"

namespace cvm::oracle {

/// The number of bits of k (0 for 0): a sum of k terms has p_y = p_x + bits_of(k).
inline int bits_of(int64_t k) {
  int b = 0;
  while (k > 0) {
    ++b;
    k >>= 1;
  }
  return b;
}

/// Ranks 1 to 5 with size-1 dims in every position.
inline const std::vector<Shape> kSmallReduceShapes = {{1},          {7},         {1, 1},         {3, 1, 5},
                                                      {2, 3, 4},    {1, 4, 1, 3}, {2, 3, 2, 3}, {3, 2, 1, 2, 2}};

/// Every subset of axes (listed positive, and negative), exclude, keepdims:
/// `check(op, attrs, {x}, true)` with x = make(shape, p, seed++), for sum at
/// a precision low enough that p_y <= 32 for the worst K.
template <class Check>
void all_axis_variants(const std::string& op, const Shape& shape, int p, uint64_t seed, SeededTensor make,
                       Check check) {
  const auto n = static_cast<int64_t>(shape.size());
  const int64_t total = shape_size(shape);
  for (int64_t mask = 0; mask < (int64_t{1} << n); ++mask) {
    for (int neg = 0; neg < 2; ++neg) {
      std::vector<int64_t> axes;
      for (int64_t a = 0; a < n; ++a)
        if (mask >> a & 1) axes.push_back(neg ? a - n : a);
      if (neg && axes.empty()) continue;
      for (int exclude = 0; exclude < 2; ++exclude)
        for (int keep = 0; keep < 2; ++keep) {
          const AttrMap attrs{{"axis", tuple_attr(axes)},
                              {"exclude", exclude ? "true" : "false"},
                              {"keepdims", keep ? "true" : "false"}};
          int px = p;
          if (op == "sum") px = std::min(p, 32 - bits_of(total));  // keep p_y <= 32 (worst K)
          check(op, attrs, {make(shape, std::max(px, 1), seed++)}, true);
        }
    }
  }
}

/// The attributes of max_pool2d; padding (ph, pw) is written as the 1-tuple
/// (ph,) when ph == pw and `one_value` is set.
inline AttrMap max_pool2d_attrs(int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw, bool ceil,
                                bool one_value) {
  return {{"pool_size", tuple_attr({kh, kw})},
          {"strides", tuple_attr({sh, sw})},
          {"padding", ph == pw && one_value ? tuple_attr({ph}) : tuple_attr({ph, pw})},
          {"ceil_mode", ceil ? "true" : "false"}};
}

/// Windows 1 to 3 (square, and k x max(1, k - 1) with strides (s, 1) and
/// padding (p, 0)), strides 1 to 3, paddings below the window, both ceil
/// modes, on three small shapes, each through
/// `pool(shape, 8, kh, kw, sh, sw, ph, pw, ceil, seed, false)` with seeds from
/// 1 on. ceil_mode may break max_pool2d_c8, so a case may be rejected; returns
/// how many `pool` reports accepted.
template <class Pool>
int max_pool2d_attribute_variants(Pool pool) {
  uint64_t seed = 1;
  int accepted = 0;
  for (int64_t k : {1, 2, 3})
    for (int64_t st : {1, 2, 3})
      for (int64_t pad = 0; pad < k; ++pad)
        for (bool ceil : {false, true})
          for (const Shape& s : std::vector<Shape>{{1, 1, 1, 1}, {1, 2, 5, 7}, {2, 1, 4, 4}})
            if (k <= s[2] + 2 * pad && k <= s[3] + 2 * pad) {
              accepted += pool(s, 8, k, k, st, st, pad, pad, ceil, seed++, false);
              accepted += pool(s, 8, k, std::max<int64_t>(1, k - 1), st, 1, pad, 0, ceil, seed++, false);
            }
  return accepted;
}

}  // namespace cvm::oracle
