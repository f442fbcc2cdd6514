// transpose - reference transcription of spec/ops/transpose.rst.
#include "cvm/ops/transpose.h"

#include "cvm/op.h"
#include "cvm/rules/transpose_index.h"
#include "index_loop.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) { return TransposeAttrs{.axes = r.tuple("axes")}; }

// The normalized permutation a_0 .. a_{N-1}, checking transpose_c1..c3.
std::vector<int64_t> permutation(const TransposeAttrs& attrs, int64_t N) {
  std::vector<int64_t> a;
  if (attrs.axes.empty()) {
    for (int64_t i = 0; i < N; ++i) a.push_back(N - 1 - i);
    return a;
  }
  // transpose_c1: exactly N entries.
  CVM_REQUIRE(static_cast<int64_t>(attrs.axes.size()) == N, "transpose_c1", "axes has ",
              attrs.axes.size(), " entries for rank ", N);
  std::vector<bool> seen(static_cast<size_t>(N), false);
  for (int64_t e : attrs.axes) {
    // transpose_c2: e in [-N, N-1].
    const int64_t n = normalize_axis(e, N, "transpose_c2", "axes entry");
    // transpose_c3: distinct after normalization.
    CVM_REQUIRE(!seen[static_cast<size_t>(n)], "transpose_c3", "axes entry ", e,
                " repeats axis ", n);
    seen[static_cast<size_t>(n)] = true;
    a.push_back(n);
  }
  return a;
}

Types infer(const std::any& attrs, const Types& in) {
  const Shape& d = in[0].shape;
  const auto a = permutation(std::any_cast<const TransposeAttrs&>(attrs),
                             static_cast<int64_t>(d.size()));
  return {TensorType{rules::transpose_shape(d, a), in[0].precision}};  // (d_{a_0}, ..., d_{a_{N-1}})
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const Tensor& x = *in[0];
  const auto N = static_cast<int64_t>(x.shape.size());
  const auto a = permutation(std::any_cast<const TransposeAttrs&>(attrs), N);
  gather_elements(x, *out[0], "transpose_b1", "transpose_b2", [&](const Index& j) {
    return rules::transpose_source(j, a);  // e_{a_i} = j_i
  });
}

}  // namespace

OpDef op_def_transpose() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
