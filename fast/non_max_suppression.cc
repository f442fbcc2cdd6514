// non_max_suppression - fast kernel (spec/ops/non_max_suppression.rst).
//
// Same scan as the reference, with these exact speed-ups:
//  - Order: each valid row gets the unique 64-bit key
//    ((2^31 - 1 - s) << 32) | n, so ascending keys are the order by (-s, n),
//    i.e. the reference's stable sort by descending score. Only the first
//    p_max rows are ever looked at, so a partial sort (std::partial_sort,
//    exact because keys are unique) replaces the full sort when p_max < T.
//  - Kept boxes are stored per class id (one group with force_suppress), so a
//    candidate is only compared with the boxes that can suppress it; the
//    first suppressing box ends the test ("suppressed or not" does not depend
//    on which box is found first).
//  - The test IOU >= t never divides: a pair that does not overlap (w <= 0
//    or h <= 0) has I = 0 and IOU 0 < t (t >= 1, non_max_suppression_c1);
//    otherwise floor(num / den) >= t is num >= t * den (den >= 1), formed in
//    128 bits. IOU lies in [0, 100] (non_max_suppression_b3), so t > 100
//    suppresses nothing and the test is skipped.
//  - IOU arithmetic width: non_max_suppression_b2 bounds every coordinate
//    difference by L = 2 R(p) and non_max_suppression_b3 the areas by L^2,
//    S by 2 L^2, I by L^2, U by [-L^2, S]. For p <= 31, L <= 2^31 - 4, so
//    2 L^2 < 2^63 and 100 I is only formed when I <= (2^63 - 1) / 100: every
//    value fits int64, which is used. For p = 32 the areas, S, I and U are
//    computed in signed 128 bits, as in the reference (b3).
// Batches are independent: threads split the batches.
#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "cvm/ops/non_max_suppression.h"
#include "fast/kernel.h"

namespace cvm::fast {
namespace {

__extension__ typedef __int128 Wide;

constexpr int64_t kFallbackLimit = INT64_MAX / 100;

struct KeptBox {
  int64_t x1, y1, x2, y2;
  int64_t area;  // (x2 - x1) * (y2 - y1); stored for p <= 31 only (it fits int64)
};

// Whether IOU(a, b) >= thr (spec "Intersection over union"), 1 <= thr <= 100;
// T = int64_t (p <= 31) or Wide (p = 32). I = 0 gives IOU 0 < thr, so boxes
// that do not overlap are rejected first. floor(num / den) >= thr is
// num >= thr * den for den >= 1 (formed in Wide: thr * U may exceed int64).
template <typename T>
bool iou_at_least(const KeptBox& a, const KeptBox& b, T area_a, T area_b, int64_t thr) {
  const int64_t w = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  if (w <= 0) return false;
  const int64_t h = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  if (h <= 0) return false;
  const T S = area_a + area_b;
  if (S <= 0) return false;
  const T I = T{w} * h;
  const T U = S - I;
  if (U <= 0) return false;
  if (I > kFallbackLimit) return Wide{I} >= Wide{thr} * (U / 100);
  return Wide{100 * I} >= Wide{thr} * U;
}

template <typename T>
T area_of(const KeptBox& k) {
  return T{k.x2 - k.x1} * (k.y2 - k.y1);
}

// The kept boxes, grouped by class id (one group with force_suppress): a
// candidate is only compared with the boxes that can suppress it.
class KeptSet {
 public:
  void clear() {
    for (auto& l : lists_) l.clear();
    index_.clear();
  }
  std::vector<KeptBox>& group(int64_t id) {
    const auto [it, added] = index_.try_emplace(id, index_.size());
    if (it->second >= lists_.size()) lists_.resize(it->second + 1);
    (void)added;
    return lists_[it->second];
  }

 private:
  std::vector<std::vector<KeptBox>> lists_;
  std::unordered_map<int64_t, size_t> index_;
};

void run_nms(const NonMaxSuppressionAttrs& a, const Inputs& in, const Outputs& out,
             const Exec& exec) {
  const Tensor& data = *in[0];
  const Tensor& valid_count = *in[1];
  Tensor& y = *out[0];
  const int64_t B = data.shape[0];
  const int64_t N = data.shape[1];
  const bool wide = data.precision > 31;
  const int64_t thr = a.iou_threshold;
  const int32_t* dd = data.data.data();
  int32_t* yd = y.data.data();
  exec.parallel_for(B, 1, [&](int64_t bb, int64_t be) {
    std::vector<uint64_t> keys;
    std::vector<int64_t> kept_rows;
    KeptSet kept;
    for (int64_t b = bb; b < be; ++b) {
      const int32_t* D = dd + b * N * 6;
      const int64_t T = std::clamp<int64_t>(valid_count.data[static_cast<size_t>(b)], 0, N);
      const int64_t n_max = a.max_output_size < 0 ? T : std::min(T, a.max_output_size);
      const int64_t p_max = a.top_k < 0 ? T : std::min(T, a.top_k);
      kept.clear();
      kept_rows.clear();
      if (n_max > 0 && p_max > 0) {
        keys.resize(static_cast<size_t>(T));
        for (int64_t n = 0; n < T; ++n) {
          const auto hi = static_cast<uint64_t>(int64_t{INT32_MAX} - D[n * 6 + 1]);
          keys[static_cast<size_t>(n)] = (hi << 32) | static_cast<uint64_t>(n);
        }
        if (p_max < T)
          std::partial_sort(keys.begin(), keys.begin() + p_max, keys.end());
        else
          std::sort(keys.begin(), keys.end());
        for (int64_t i = 0; static_cast<int64_t>(kept_rows.size()) < n_max && i < p_max; ++i) {
          const auto r = static_cast<int64_t>(keys[static_cast<size_t>(i)] & 0xffffffffu);
          const int32_t* row = D + r * 6;
          if (row[0] < 0) continue;  // negative id: skipped
          KeptBox cand{row[2], row[3], row[4], row[5], 0};
          std::vector<KeptBox>& group = kept.group(a.force_suppress ? 0 : row[0]);
          bool suppressed = false;
          if (thr <= 100) {  // IOU <= 100 (non_max_suppression_b3): above, nothing is suppressed
            if (!wide) {
              cand.area = area_of<int64_t>(cand);
              for (const KeptBox& q : group)
                if (iou_at_least<int64_t>(q, cand, q.area, cand.area, thr)) {
                  suppressed = true;
                  break;
                }
            } else {
              const Wide area_c = area_of<Wide>(cand);
              for (const KeptBox& q : group)
                if (iou_at_least<Wide>(q, cand, area_of<Wide>(q), area_c, thr)) {
                  suppressed = true;
                  break;
                }
            }
          }
          if (!suppressed) {
            group.push_back(cand);
            kept_rows.push_back(r);
          }
        }
      }
      const auto c = static_cast<int64_t>(kept_rows.size());
      int32_t* Y = yd + b * N * 6;
      for (int64_t j = 0; j < c; ++j)
        std::memcpy(Y + j * 6, D + kept_rows[static_cast<size_t>(j)] * 6, 6 * sizeof(int32_t));
      std::fill(Y + c * 6, Y + N * 6, -1);
    }
  });
}

}  // namespace

std::unique_ptr<NodeKernel> make_non_max_suppression(const NodeSpec& spec, const KernelOptions&) {
  return function_kernel<NonMaxSuppressionAttrs>(spec, run_nms);
}

}  // namespace cvm::fast
