// Directed cases of get_valid_counts and non_max_suppression: every
// threshold at each precision's extremes, the parts of 4096 rows (fast and
// CUDA) and the CUDA chunks of 256 rows; every non_max_suppression attribute
// variant over boxes with few classes, tied scores and overlapping corners,
// p = 32 corners whose areas pass int64 (the IOU fallback), valid counts
// clipped, kept lists longer than a CUDA block.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "directed/directed_cases.h"
#include "support.h"

namespace cvm::oracle {
namespace {

int64_t rmax(int p) { return (int64_t{1} << (p - 1)) - 1; }

void get_valid_counts_cases(CaseList& c) {
  c.group("thresholds and shapes");
  for (const Shape& s : std::vector<Shape>{{1, 1, 2}, {2, 3, 3}, {3, 17, 6}, {1, 5, 31}})
    for (int p : {1, 8, 32})
      for (int64_t t : std::vector<int64_t>{0, -1, 1, -2147483647 - 1, 2147483647, rmax(p), -rmax(p)})
        c.add({{"score_threshold", std::to_string(t)}}, {c.x(s, p)});
  c.add({}, {c.x({2, 3, 32}, 8)}, Expect::rejected);  // K = 32
  c.group("chunks of 256 rows within parts of 4096 rows");
  for (int64_t n : {255, 256, 257, 511, 4095, 4096, 4097, 8193}) c.add({}, {c.x({2, n, 6}, 8)});
  c.group("large: few and many batches");
  c.add({{"score_threshold", "5"}}, {c.x({1, 20000, 6}, 4)});
  c.add({}, {c.x({300, 60, 6}, 8)});
  c.add({{"score_threshold", "100"}}, {filled({2, 5000, 3}, 8, 3)});  // none kept
  c.add({{"score_threshold", "2"}}, {filled({2, 5000, 3}, 8, 3)});    // all kept
}

// B x N boxes [id, score, x1, y1, x2, y2] of precision p with corners in
// +-min(R(p), coord_range): few classes (some negative), tied scores,
// overlapping corners, one in five arbitrary (possibly inverted).
Tensor boxes(int64_t B, int64_t N, int p, uint64_t seed, int64_t coord_range) {
  std::vector<int32_t> v;
  uint64_t s = seed;
  const int64_t r = std::min(rmax(p), coord_range);
  const auto u = [&](int64_t lo, int64_t hi) {
    return static_cast<int32_t>(lo + static_cast<int64_t>(splitmix64(s) % static_cast<uint64_t>(hi - lo + 1)));
  };
  for (int64_t i = 0; i < B * N; ++i) {
    v.push_back(u(-std::min<int64_t>(1, r), std::min<int64_t>(2, r)));
    v.push_back(splitmix64(s) % 4 == 0 ? u(-r, r) : u(-std::min<int64_t>(3, r), std::min<int64_t>(5, r)));
    const int32_t x1 = u(-r, r), y1 = u(-r, r);
    v.push_back(x1);
    v.push_back(y1);
    if (splitmix64(s) % 5 == 0) {
      v.push_back(u(-r, r));
      v.push_back(u(-r, r));
    } else {
      const auto span = static_cast<uint64_t>(r / 2 + 1);
      v.push_back(static_cast<int32_t>(std::min<int64_t>(r, x1 + static_cast<int64_t>(splitmix64(s) % span))));
      v.push_back(static_cast<int32_t>(std::min<int64_t>(r, y1 + static_cast<int64_t>(splitmix64(s) % span))));
    }
  }
  return T({B, N, 6}, p, v);
}

void non_max_suppression_cases(CaseList& c) {
  c.group("attribute variants");
  uint64_t seed = 500;
  for (int p : {1, 2, 8, 31, 32})
    for (const char* force : {"false", "true"})
      for (const char* iou : {"1", "50", "100", "101"})
        for (const char* topk : {"-1", "0", "3"})
          for (const char* maxout : {"-1", "0", "2"}) {
            const Tensor valid_count = T({2}, 8, {static_cast<int32_t>(seed % 12) - 2, 9});
            c.add({{"force_suppress", force}, {"iou_threshold", iou}, {"top_k", topk}, {"max_output_size", maxout}},
                  {boxes(2, 9, p, seed, seed % 3 ? 20 : int64_t{1} << 40), valid_count});
            ++seed;
          }
  c.add({{"iou_threshold", "0"}}, {boxes(1, 3, 8, 1, 20), T({1}, 8, {3})}, Expect::rejected);
  c.group("p = 32 corners near +-R(32): areas beyond int64 and the I quot (U quot 100) branch");
  const int32_t R = 2147483647;
  const Tensor d =
      T({1, 4, 6}, 32, {0, 9, -R, -R, R, R, 0, 9, -R + 7, -R, R, R - 3, 0, 8, -R, 0, R, R, 0, 7, 0, 0, 5, 5});
  for (const char* iou : {"1", "60", "99", "100"}) c.add({{"iou_threshold", iou}}, {d, T({1}, 8, {4})});
  const Tensor e = T({1, 3, 6}, 31,
                     {0, 1, -1073741823, -1073741823, 1073741823, 1073741823, 0, 1, -1073741820, -1073741823,
                      1073741823, 1073741820, 0, 1, -1073741823, 0, 1073741823, 1073741823});
  for (const char* iou : {"1", "50", "99", "100"}) c.add({{"iou_threshold", iou}}, {e, T({1}, 32, {-5})});
  c.group("valid counts clipped");
  for (int32_t count : {-2147483647, -1, 0, 2, 3, 2147483647})
    c.add({{"iou_threshold", "50"}}, {e, T({1}, 32, {count})});
  c.group("scores at +-R(32) and all tied: the order is the input order");
  std::vector<int32_t> tied;
  for (int i = 0; i < 40; ++i) {
    const int32_t s = i % 3 == 0 ? R : (i % 3 == 1 ? -R : 0);
    tied.insert(tied.end(), {i % 2, s, i, i, i + 10, i + 10});
  }
  for (const char* iou : {"1", "30", "90"}) c.add({{"iou_threshold", iou}}, {T({1, 40, 6}, 32, tied), T({1}, 8, {40})});
  std::vector<int32_t> same;
  for (int i = 0; i < 30; ++i) same.insert(same.end(), {0, 7, 0, 0, 10 + i % 4, 10});
  c.add({{"iou_threshold", "80"}}, {T({1, 30, 6}, 8, same), T({1}, 8, {30})});
  c.group("kept lists longer than a CUDA block (256)");
  // Disjoint boxes: nothing suppressed, so every thread scans several kept
  // entries per candidate.
  std::vector<int32_t> grid;
  const int32_t N = 700;
  for (int32_t i = 0; i < N; ++i) {
    const int32_t x = (i % 30) * 20, y = (i / 30) * 20;
    grid.insert(grid.end(), {i % 3, i % 17, x, y, x + 10, y + 10});
  }
  const Tensor g = T({1, N, 6}, 16, grid);
  c.add({}, {g, T({1}, 16, {N})});
  c.add({{"force_suppress", "true"}, {"max_output_size", "500"}}, {g, T({1}, 16, {N})});
  grid.insert(grid.end(), {0, -5, 1, 1, 11, 11});  // a last box overlapping one early kept box only
  c.add({{"force_suppress", "true"}}, {T({1, N + 1, 6}, 16, grid), T({1}, 16, {N + 1})});
  c.group("large, several batches");
  c.add({}, {boxes(3, 2000, 12, 9, 1000), T({3}, 16, {2000, 1500, 7})});
  c.add({{"top_k", "100"}, {"force_suppress", "true"}}, {boxes(2, 3000, 16, 10, 5000), T({2}, 16, {3000, 2999})});
}

}  // namespace

const std::vector<OpCaseList>& vision_case_lists() {
  static const std::vector<OpCaseList> lists{{"get_valid_counts", get_valid_counts_cases},
                                             {"non_max_suppression", non_max_suppression_cases}};
  return lists;
}

}  // namespace cvm::oracle
