// Fast kernels of the "reduce" group (sum, max, max_pool2d, get_valid_counts,
// non_max_suppression) against the reference, bit for bit, on chosen shapes:
// size-1 dims, every axis subset and attribute variant, the tile boundaries of
// fast/reduce_common.h (kTile = 1024 accumulators, K1 split into parts when
// few items), precision extremes, and larger cases that split over threads.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fast_support.h"
#include "reduce_cases.h"
#include "cvm/validate.h"
#include "support.h"

namespace cvm::oracle {
namespace {

int64_t rmax(int p) { return (int64_t{1} << (p - 1)) - 1; }

// A value of precision p: ~1/4 at the extremes (+-R(p), 0, +-1), the rest uniform.
int32_t value(uint64_t& s, int p) {
  const int64_t r = rmax(p);
  const uint64_t u = splitmix64(s);
  if (u % 4 == 0) {
    const int64_t ext[] = {r, -r, 0, std::min<int64_t>(1, r), -std::min<int64_t>(1, r)};
    return static_cast<int32_t>(ext[(u >> 8) % 5]);
  }
  return static_cast<int32_t>(static_cast<int64_t>((u >> 16) % static_cast<uint64_t>(2 * r + 1)) - r);
}

Tensor random_tensor(const Shape& shape, int p, uint64_t seed) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<int32_t> v(static_cast<size_t>(n));
  uint64_t s = seed;
  for (auto& e : v) e = value(s, p);
  return T(shape, p, v);
}

// The fast kernels must equal the reference; `valid` cases must also be
// accepted by the reference (so a test never passes on a rejection alone).
// Returns whether the reference accepted the case.
bool check(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
           bool valid = true) {
  std::string err;
  try {
    run_reference(op, attrs, inputs);
  } catch (const std::exception& e) {
    err = e.what();
  }
  if (valid) {
    EXPECT_EQ(err, "") << op << " rejected a case meant to be valid";
  }
  expect_fast_matches_reference(op, attrs, inputs);
  return err.empty();
}

TEST(fast_sum, every_axis_variant_small_shapes) {
  for (int p : {1, 8, 24})
    for (const Shape& s : kSmallReduceShapes)
      all_axis_variants("sum", s, p, 100 + static_cast<uint64_t>(p), random_tensor, check);
}

TEST(fast_max, every_axis_variant_small_shapes) {
  for (int p : {1, 8, 32})
    for (const Shape& s : kSmallReduceShapes)
      all_axis_variants("max", s, p, 200 + static_cast<uint64_t>(p), random_tensor, check);
}

TEST(fast_max, default_whole_reduction_quirk) {
  // All negative: the default () gives 0, listed axes the true maximum.
  const Tensor x = T({2, 3}, 8, {-5, -3, -9, -4, -7, -6});
  check("max", {}, {x});
  check("max", {{"axis", "(0, 1)"}}, {x});
  check("max", {{"exclude", "true"}}, {x});
  check("max", {}, {T({1, 1}, 32, {-2147483647})});
  check("max", {{"keepdims", "true"}}, {T({1}, 32, {5})});
  check("max", {}, {filled({300, 301}, 32, -2147483647)});
}

TEST(fast_sum, precision_extremes) {
  // p_y = 32 exactly: K * R(p_x) reaches R(32) territory.
  for (int64_t k : {1, 2, 3, 7, 1000}) {
    const int px = 32 - bits_of(k);
    check("sum", {{"axis", "-1"}}, {filled({3, k}, px, static_cast<int32_t>(rmax(px)))});
    check("sum", {{"axis", "0"}}, {filled({k, 5}, px, static_cast<int32_t>(-rmax(px)))});
    check("sum", {}, {random_tensor({k, 3}, px - 2, 7 + static_cast<uint64_t>(k))});
  }
  // Rejected alike when p_y would exceed 32.
  check("sum", {}, {filled({4}, 31, 1)}, false);
}

// Tile boundaries (inner kept length around kTile), K1 split into parts
// (few outer rows), and odometers over several groups.
void tile_cases(const std::string& op, int p) {
  uint64_t seed = 900;
  for (int64_t inner : {1023, 1024, 1025, 2049}) {
    check(op, {{"axis", "0"}}, {random_tensor({3, inner}, p, seed++)});
    check(op, {{"axis", "(0, 2)"}}, {random_tensor({2, 3, 2, inner}, p, seed++)});
  }
  // Few items, long K1: split into parts (threads > 1).
  check(op, {{"axis", "0"}}, {random_tensor({40000, 3}, p, seed++)});
  check(op, {{"axis", "1"}}, {random_tensor({2, 20000, 5}, p, seed++)});
  check(op, {{"axis", "(0, 2)"}}, {random_tensor({50, 3, 700, 2}, p, seed++)});
  // Innermost reduced: short and long segments, many and few outputs.
  check(op, {{"axis", "-1"}}, {random_tensor({30000, 2}, p, seed++)});
  check(op, {{"axis", "-1"}}, {random_tensor({3, 40000}, p, seed++)});
  check(op, {{"axis", "(0, 2)"}, {"keepdims", "true"}},
                                {random_tensor({40, 50, 60}, p, seed++)});
  // Whole reduction, large (several parts).
  check(op, {}, {random_tensor({7, 100, 150}, p, seed++)});
  check(op, {{"axis", "(0, 1, 2)"}}, {random_tensor({7, 100, 150}, p, seed++)});
  // Copy (nothing reduced), large.
  check(op, {{"axis", "(0, 1)"}, {"exclude", "true"}},
                                {random_tensor({300, 400}, p, seed++)});
}

TEST(fast_sum, tile_boundaries_and_large) { tile_cases("sum", 12); }
TEST(fast_max, tile_boundaries_and_large) {
  tile_cases("max", 32);
  tile_cases("max", 1);
}

// ---- max_pool2d ------------------------------------------------------------

bool pool(const Shape& s, int p, int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph,
          int64_t pw, bool ceil, uint64_t seed, bool valid = true) {
  return check("max_pool2d", max_pool2d_attrs(kh, kw, sh, sw, ph, pw, ceil, seed % 2 == 1),
               {random_tensor(s, p, seed)}, valid);
}

TEST(fast_max_pool2d, attribute_variants) {
  // ceil_mode may break max_pool2d_c8: such cases must be rejected alike.
  EXPECT_GT(max_pool2d_attribute_variants(pool), 150);
}

TEST(fast_max_pool2d, windows_wider_than_input_and_extremes) {
  // Window covering the whole padded input; asymmetric sizes, strides, padding.
  pool({1, 3, 4, 5}, 32, 6, 7, 1, 1, 1, 1, false, 3);
  pool({1, 3, 4, 5}, 32, 4, 5, 4, 5, 0, 0, true, 5);
  pool({2, 2, 9, 11}, 1, 3, 2, 2, 3, 2, 0, true, 7);
  pool({2, 2, 9, 11}, 32, 5, 4, 3, 2, 4, 2, true, 9);
  pool({1, 1, 3, 3}, 8, 2, 2, 4096, 4096, 1, 1, false, 11);
  // All-negative input with padding: padding must not read as 0.
  const AttrMap a{{"pool_size", "(3, 3)"}, {"padding", "(1, 1)"}};
  check("max_pool2d", a, {filled({1, 2, 5, 6}, 32, -2147483647)});
  check("max_pool2d", a, {filled({1, 2, 5, 6}, 1, 0)});
}

TEST(fast_max_pool2d, large) {
  pool({2, 8, 113, 115}, 8, 3, 3, 1, 1, 1, 1, false, 21);   // ~208K elements, stride 1
  pool({1, 16, 64, 65}, 16, 3, 3, 2, 2, 1, 1, true, 22);    // stride 2, ceil
  pool({3, 5, 40, 1030}, 32, 2, 2, 2, 2, 0, 0, false, 23);  // wide rows
}

// ---- get_valid_counts ---------------------------------------------------------

TEST(fast_get_valid_counts, thresholds_and_shapes) {
  uint64_t seed = 40;
  for (const Shape& s : std::vector<Shape>{{1, 1, 2}, {2, 3, 3}, {3, 17, 6}, {1, 5, 31}})
    for (int p : {1, 8, 32})
      for (int64_t t : std::vector<int64_t>{0, -1, 1, -2147483647 - 1, 2147483647, rmax(p), -rmax(p)})
        check("get_valid_counts", {{"score_threshold", std::to_string(t)}},
                                      {random_tensor(s, p, seed++)});
}

TEST(fast_get_valid_counts, part_boundaries_and_large) {
  // Parts of 4096 rows: N around multiples of it, few and many batches.
  uint64_t seed = 77;
  for (int64_t n : {4095, 4096, 4097, 8193})
    check("get_valid_counts", {}, {random_tensor({2, n, 6}, 8, seed++)});
  check("get_valid_counts", {{"score_threshold", "5"}},
                                {random_tensor({1, 20000, 6}, 4, seed++)});
  check("get_valid_counts", {}, {random_tensor({300, 60, 6}, 8, seed++)});
  check("get_valid_counts", {{"score_threshold", "100"}},
                                {filled({2, 5000, 3}, 8, 3)});  // nothing kept
}

// ---- non_max_suppression ---------------------------------------------------------

// Boxes with few classes, tied scores and overlapping corners.
Tensor boxes(int64_t B, int64_t N, int p, uint64_t seed, int64_t coord_range) {
  std::vector<int32_t> v;
  uint64_t s = seed;
  const int64_t r = std::min(rmax(p), coord_range);
  for (int64_t i = 0; i < B * N; ++i) {
    const auto u = [&](int64_t lo, int64_t hi) {
      return static_cast<int32_t>(lo + static_cast<int64_t>(splitmix64(s) % static_cast<uint64_t>(hi - lo + 1)));
    };
    v.push_back(u(-std::min<int64_t>(1, r), std::min<int64_t>(2, r)));  // id, some negative
    v.push_back(splitmix64(s) % 4 == 0 ? value(s, p) : u(-std::min<int64_t>(3, r), std::min<int64_t>(5, r)));
    const int32_t x1 = u(-r, r), y1 = u(-r, r);
    if (splitmix64(s) % 5 == 0) {
      v.push_back(x1);
      v.push_back(y1);
      v.push_back(u(-r, r));
      v.push_back(u(-r, r));
    } else {
      v.push_back(x1);
      v.push_back(y1);
      v.push_back(static_cast<int32_t>(std::min<int64_t>(r, x1 + static_cast<int64_t>(splitmix64(s) % static_cast<uint64_t>(r / 2 + 1)))));
      v.push_back(static_cast<int32_t>(std::min<int64_t>(r, y1 + static_cast<int64_t>(splitmix64(s) % static_cast<uint64_t>(r / 2 + 1)))));
    }
  }
  return T({B, N, 6}, p, v);
}

TEST(fast_non_max_suppression, attribute_variants) {
  uint64_t seed = 500;
  for (int p : {1, 2, 8, 31, 32})
    for (const std::string force : {"false", "true"})
      for (const std::string iou : {"1", "50", "100", "101"})
        for (const std::string topk : {"-1", "0", "3"})
          for (const std::string maxout : {"-1", "0", "2"}) {
            const int64_t B = 2, N = 9;
            const Tensor vc = T({B}, 8, {static_cast<int32_t>(seed % 12) - 2, 9});
            check("non_max_suppression",
                                          {{"force_suppress", force},
                                           {"iou_threshold", iou},
                                           {"top_k", topk},
                                           {"max_output_size", maxout}},
                                          {boxes(B, N, p, seed, seed % 3 ? 20 : 1LL << 40), vc});
            ++seed;
          }
}

TEST(fast_non_max_suppression, huge_coordinates_and_valid_count_clip) {
  // p = 32 corners near +-R(32): areas beyond int64 and the I quot (U quot 100) branch.
  const int32_t R = 2147483647;
  const Tensor d = T({1, 4, 6}, 32,
                     {0, 9, -R, -R, R, R,  0, 9, -R + 7, -R, R, R - 3,  0, 8, -R, 0, R, R,  0, 7, 0, 0, 5, 5});
  for (const std::string iou : {"1", "60", "99", "100"})
    check("non_max_suppression", {{"iou_threshold", iou}}, {d, T({1}, 8, {4})});
  const Tensor e = T({1, 3, 6}, 31,
                     {0, 1, -1073741823, -1073741823, 1073741823, 1073741823,
                      0, 1, -1073741820, -1073741823, 1073741823, 1073741820,
                      0, 1, -1073741823, 0, 1073741823, 1073741823});
  for (const std::string iou : {"1", "50", "99", "100"})
    check("non_max_suppression", {{"iou_threshold", iou}}, {e, T({1}, 32, {-5})});
  for (int32_t c : {-2147483647, -1, 0, 2, 3, 2147483647})
    check("non_max_suppression", {{"iou_threshold", "50"}}, {e, T({1}, 32, {c})});
}

TEST(fast_non_max_suppression, large) {
  check("non_max_suppression", {}, {boxes(3, 2000, 12, 9, 1000), T({3}, 16, {2000, 1500, 7})});
  check("non_max_suppression", {{"top_k", "100"}, {"force_suppress", "true"}},
                                {boxes(2, 3000, 16, 10, 5000), T({2}, 16, {3000, 2999})});
}

}  // namespace
}  // namespace cvm::oracle
