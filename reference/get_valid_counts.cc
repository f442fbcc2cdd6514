// get_valid_counts - reference transcription of spec/ops/get_valid_counts.rst.
#include "cvm/ops/get_valid_counts.h"

#include <algorithm>

#include "cvm/op.h"
#include "cvm/rules/precision.h"

namespace cvm {
namespace {

// score_threshold: any int32.
std::any parse(AttrReader& r) {
  return GetValidCountsAttrs{.score_threshold = r.int32("score_threshold")};
}

Types infer(const std::any&, const Types& in) {
  const TensorType& x = in[0];
  // get_valid_counts_c1: x is 3-D (B, N, K).
  CVM_REQUIRE(x.shape.size() == 3, "get_valid_counts_c1", "x must be 3-D (B, N, K), got shape ",
              shape_str(x.shape));
  const int64_t B = x.shape[0];
  const int64_t N = x.shape[1];
  const int64_t K = x.shape[2];
  // get_valid_counts_c2: 2 <= K <= 31 (upstream's code bound, not its doc's 32).
  CVM_REQUIRE(K >= 2 && K <= 31, "get_valid_counts_c2", "x's last dim K = ", K,
              " must lie in [2, 31]");
  // valid_count: np(N * K); y: max(p_x, 2) so that the -1 fill has a precision.
  return {TensorType{{B}, rules::number_precision_from_bits(bits(static_cast<uint64_t>(N * K) + 1))},
          TensorType{x.shape, rules::at_least_two_precision(x.precision)}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const GetValidCountsAttrs&>(attrs);
  const Tensor& x = *in[0];
  Tensor& valid_count = *out[0];
  Tensor& y = *out[1];
  const int64_t B = x.shape[0];
  const int64_t N = x.shape[1];
  const int64_t K = x.shape[2];
  const auto X = [&](int64_t b, int64_t n, int64_t k) -> int64_t {
    return x.data[static_cast<size_t>((b * N + n) * K + k)];
  };
  for (int64_t b = 0; b < B; ++b) {
    // kept[j] = n_j: the rows whose score X[b, n, 1] exceeds the threshold, in order.
    std::vector<int64_t> kept;
    for (int64_t n = 0; n < N; ++n)
      if (X(b, n, 1) > a.score_threshold) kept.push_back(n);
    const auto c = static_cast<int64_t>(kept.size());
    CVM_BOUND(in_precision(c, valid_count.precision), "get_valid_counts_b1", "valid_count[", b,
              "] = ", c);
    valid_count.data[static_cast<size_t>(b)] = static_cast<int32_t>(c);
    for (int64_t j = 0; j < N; ++j)
      for (int64_t k = 0; k < K; ++k) {
        const int64_t v = j < c ? X(b, kept[static_cast<size_t>(j)], k) : -1;
        CVM_BOUND(in_precision(v, y.precision), "get_valid_counts_b1", "y[", b, ", ", j, ", ", k,
                  "] = ", v);
        y.data[static_cast<size_t>((b * N + j) * K + k)] = static_cast<int32_t>(v);
      }
  }
}

}  // namespace

OpDef op_def_get_valid_counts() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
