// concatenate - reference transcription of spec/ops/concatenate.rst.
#include "cvm/ops/concatenate.h"

#include <algorithm>

#include "cvm/op.h"
#include "cvm/rules/concatenate_index.h"
#include "cvm/rules/precision.h"
#include "output_loop.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) { return ConcatenateAttrs{.axis = r.int32("axis")}; }

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const ConcatenateAttrs&>(attrs);
  const Shape& s0 = in[0].shape;
  const auto n = static_cast<int64_t>(s0.size());
  // concatenate_c1: equal ranks.
  for (size_t k = 1; k < in.size(); ++k)
    CVM_REQUIRE(static_cast<int64_t>(in[k].shape.size()) == n, "concatenate_c1", "input ", k,
                " has shape ", shape_str(in[k].shape), ", rank differs from input 0 ",
                shape_str(s0));
  // concatenate_c2: axis in [-n, n-1].
  const int64_t axis = normalize_axis(a.axis, n, "concatenate_c2", "axis");
  // concatenate_c3: equal dims off the axis.
  Shape out = s0;
  out[static_cast<size_t>(axis)] = 0;
  int precision = 0;
  for (size_t k = 0; k < in.size(); ++k) {
    for (int64_t i = 0; i < n; ++i)
      CVM_REQUIRE(i == axis || in[k].shape[static_cast<size_t>(i)] == s0[static_cast<size_t>(i)],
                  "concatenate_c3", "input ", k, " has shape ", shape_str(in[k].shape),
                  ", which differs from input 0 ", shape_str(s0), " on axis ", i);
    // Each term is <= 2^24 and there are far fewer than 2^39 inputs: int64 is enough.
    out[static_cast<size_t>(axis)] += in[k].shape[static_cast<size_t>(axis)];
    precision = rules::larger_precision(precision, in[k].precision);
  }
  return {TensorType{out, precision}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const ConcatenateAttrs&>(attrs);
  Tensor& y = *out[0];
  const auto n = static_cast<int64_t>(y.shape.size());
  const auto axis = static_cast<size_t>(a.axis < 0 ? a.axis + n : a.axis);
  std::vector<int64_t> s;  // s_k: the length of x_k along the axis
  for (const Tensor* x : in) s.push_back(x->shape[axis]);
  fill_output(y, "concatenate_b1", [&](int64_t i) {
    Index d = unravel(i, y.shape);
    // The input k with o_k <= d_a < o_k + s_k, and d_a - o_k.
    const auto src = rules::concatenate_source(d[axis], s);
    d[axis] = src.coordinate;
    const Tensor& xk = *in[static_cast<size_t>(src.input)];
    const int64_t o = ravel(d, xk.shape);
    CVM_BOUND(o >= 0 && o < xk.size(), "concatenate_b2", "y[", i, "] reads offset ", o, " of input ",
              src.input);
    return int64_t{xk.data[static_cast<size_t>(o)]};
  });
}

}  // namespace

OpDef op_def_concatenate() {
  return {.parse_attrs = parse, .num_inputs = [](const std::any&) { return kVariadic; }, .infer = infer,
          .reference = kernel};
}

}  // namespace cvm
