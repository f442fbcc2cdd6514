// non_max_suppression - reference transcription of spec/ops/non_max_suppression.rst.
#include "cvm/ops/non_max_suppression.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "cvm/op.h"
#include "cvm/rules/precision.h"

namespace cvm {
namespace {

// Signed 128-bit integer for the areas, I, U and 100 * I (bound non_max_suppression_b3).
__extension__ typedef __int128 Wide;

// floor((2^63 - 1) / 100): above it the percent uses U quot 100 instead of 100 * I.
constexpr int64_t kFallbackLimit = INT64_MAX / 100;

std::any parse(AttrReader& r) {
  NonMaxSuppressionAttrs a;
  a.iou_threshold = r.int32("iou_threshold");
  a.force_suppress = r.boolean("force_suppress");
  a.top_k = r.int32("top_k");
  a.max_output_size = r.int32("max_output_size");
  a.coord_start = r.int32("coord_start");
  a.score_index = r.int32("score_index");
  a.id_index = r.int32("id_index");
  a.return_indices = r.boolean("return_indices");
  a.invalid_to_bottom = r.boolean("invalid_to_bottom");
  CVM_REQUIRE(a.iou_threshold > 0, "non_max_suppression_c1", "iou_threshold = ", a.iou_threshold,
              " must be > 0");
  CVM_REQUIRE(a.coord_start == 2, "non_max_suppression_c2", "coord_start = ", a.coord_start,
              " must be 2");
  CVM_REQUIRE(a.score_index == 1, "non_max_suppression_c3", "score_index = ", a.score_index,
              " must be 1");
  CVM_REQUIRE(a.id_index == 0, "non_max_suppression_c4", "id_index = ", a.id_index, " must be 0");
  CVM_REQUIRE(!a.return_indices, "non_max_suppression_c5", "return_indices must be false");
  CVM_REQUIRE(a.invalid_to_bottom, "non_max_suppression_c6", "invalid_to_bottom must be true");
  return a;
}

Types infer(const std::any&, const Types& in) {
  const TensorType& data = in[0];
  const TensorType& valid_count = in[1];
  // non_max_suppression_c7: data is (B, N, 6).
  CVM_REQUIRE(data.shape.size() == 3 && data.shape[2] == 6, "non_max_suppression_c7",
              "data must have shape (B, N, 6), got ", shape_str(data.shape));
  // non_max_suppression_c8: valid_count is (B,).
  CVM_REQUIRE(valid_count.shape.size() == 1 && valid_count.shape[0] == data.shape[0],
              "non_max_suppression_c8", "valid_count must have shape (", data.shape[0],
              ",), got ", shape_str(valid_count.shape));
  return {TensorType{data.shape, rules::at_least_two_precision(data.precision)}};
}

int64_t gas_weight(const std::any&, const Types& in, const Types&) { return 20 * in[0].shape[0]; }

struct Box {
  int64_t x1, y1, x2, y2;
};

// d = hi - lo of two coordinates of precision p (non_max_suppression_b2).
int64_t difference(int64_t hi, int64_t lo, int p) {
  const int64_t d = hi - lo;
  CVM_BOUND(d >= -2 * prec_max(p) && d <= 2 * prec_max(p), "non_max_suppression_b2", "difference ",
            hi, " - ", lo, " = ", d);
  return d;
}

// IOU(A, B) as an integer percent (spec: "Intersection over union").
int64_t iou_percent(const Box& a, const Box& b, int p) {
  const Wide L = 2 * prec_max(p);  // every difference has magnitude <= L <= 2^32 - 2
  const Wide L2 = L * L;
  const Wide area_a = Wide{difference(a.x2, a.x1, p)} * difference(a.y2, a.y1, p);
  const Wide area_b = Wide{difference(b.x2, b.x1, p)} * difference(b.y2, b.y1, p);
  const Wide S = area_a + area_b;
  CVM_BOUND(area_a >= -L2 && area_a <= L2 && area_b >= -L2 && area_b <= L2,
            "non_max_suppression_b3", "an area exceeds (2 R(p))^2");
  if (S <= 0) return 0;
  const int64_t w = std::max<int64_t>(0, difference(std::min(a.x2, b.x2), std::max(a.x1, b.x1), p));
  const int64_t h = std::max<int64_t>(0, difference(std::min(a.y2, b.y2), std::max(a.y1, b.y1), p));
  const Wide I = Wide{w} * h;
  const Wide U = S - I;
  CVM_BOUND(I >= 0 && I <= L2 && U <= 2 * L2 && U >= -3 * L2, "non_max_suppression_b3",
            "I or U out of range");
  if (U <= 0) return 0;
  Wide num = 0;
  Wide den = 0;
  if (I > kFallbackLimit) {
    num = I;
    den = U / 100;  // U > 0: truncation is floor
  } else {
    num = 100 * I;
    den = U;
  }
  CVM_BOUND(den >= 1 && num <= 100 * L2, "non_max_suppression_b3", "IOU divisor not positive");
  const Wide q = num / den;  // both >= 0: truncation is floor
  CVM_BOUND(q >= 0 && q <= 100, "non_max_suppression_b3", "IOU percent out of [0, 100]");
  return static_cast<int64_t>(q);
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const NonMaxSuppressionAttrs&>(attrs);
  const Tensor& data = *in[0];
  const Tensor& valid_count = *in[1];
  Tensor& y = *out[0];
  const int64_t B = data.shape[0];
  const int64_t N = data.shape[1];
  const int p = data.precision;
  for (int64_t b = 0; b < B; ++b) {
    const auto D = [&](int64_t n, int64_t k) -> int64_t {
      return data.data[static_cast<size_t>((b * N + n) * 6 + k)];
    };
    const auto box = [&](int64_t n) { return Box{D(n, 2), D(n, 3), D(n, 4), D(n, 5)}; };
    const int64_t T = clip(valid_count.data[static_cast<size_t>(b)], 0, N);
    // R: rows 0..T-1 sorted by score descending; equal scores keep input order.
    std::vector<int64_t> R(static_cast<size_t>(T));
    std::iota(R.begin(), R.end(), int64_t{0});
    std::stable_sort(R.begin(), R.end(),
                     [&](int64_t l, int64_t r) { return D(l, 1) > D(r, 1); });
    const int64_t n_max = a.max_output_size < 0 ? T : std::min(T, a.max_output_size);
    const int64_t p_max = a.top_k < 0 ? T : std::min(T, a.top_k);
    std::vector<int64_t> kept;
    for (int64_t i = 0; static_cast<int64_t>(kept.size()) < n_max && i < p_max; ++i) {
      const int64_t r = R[static_cast<size_t>(i)];
      if (D(r, 0) < 0) continue;  // negative id: skipped, the scan goes on
      bool suppressed = false;
      for (int64_t q : kept)
        if ((a.force_suppress || D(q, 0) == D(r, 0)) &&
            iou_percent(box(q), box(r), p) >= a.iou_threshold) {
          suppressed = true;
          break;
        }
      if (!suppressed) kept.push_back(r);
    }
    const auto c = static_cast<int64_t>(kept.size());
    for (int64_t j = 0; j < N; ++j)
      for (int64_t k = 0; k < 6; ++k) {
        const int64_t v = j < c ? D(kept[static_cast<size_t>(j)], k) : -1;
        CVM_BOUND(in_precision(v, y.precision), "non_max_suppression_b1", "y[", b, ", ", j, ", ",
                  k, "] = ", v);
        y.data[static_cast<size_t>((b * N + j) * 6 + k)] = static_cast<int32_t>(v);
      }
  }
}

}  // namespace

OpDef op_def_non_max_suppression() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<2>, .infer = infer, .gas_weight = gas_weight,
          .reference = kernel};
}

}  // namespace cvm
