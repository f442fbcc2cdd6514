// slice_like - reference transcription of spec/ops/slice_like.rst.
#include "cvm/ops/slice_like.h"

#include <algorithm>
#include <limits>

#include "cvm/op.h"
#include "cvm/rules/slice_like_index.h"
#include "index_loop.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) {
  SliceLikeAttrs a;
  a.axis = r.tuple("axis");
  // The entries are int32 (upstream Tuple<int>): a wider value is unparsable.
  for (int64_t v : a.axis)
    CVM_REQUIRE(v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max(),
                "attr_c3", "slice_like: axis entry ", v, " does not fit int32");
  return a;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const SliceLikeAttrs&>(attrs);
  const Shape& xs = in[0].shape;
  const Shape& ls = in[1].shape;
  const auto nx = static_cast<int64_t>(xs.size());
  const auto nl = static_cast<int64_t>(ls.size());
  std::vector<int64_t> cropped;  // the axes i whose length becomes like_i
  if (a.axis.empty()) {
    // slice_like_c1: equal ranks when every axis is cropped.
    CVM_REQUIRE(nx == nl, "slice_like_c1", "with an empty axis list x ", shape_str(xs),
                " and like ", shape_str(ls), " must have equal ranks");
    for (int64_t i = 0; i < nx; ++i) cropped.push_back(i);
  } else {
    for (int64_t v : a.axis) {
      const int64_t i = v < 0 ? v + nx : v;
      // slice_like_c2: the normalised axis exists in both shapes.
      CVM_REQUIRE(i >= 0 && i < std::min(nx, nl), "slice_like_c2", "axis ", v,
                  " normalises to ", i, ", outside [0, ", std::min(nx, nl) - 1, "] for x ",
                  shape_str(xs), " and like ", shape_str(ls));
      cropped.push_back(i);
    }
    std::sort(cropped.begin(), cropped.end());
  }
  std::vector<bool> is_cropped(xs.size(), false);
  for (int64_t i : cropped) {
    const auto u = static_cast<size_t>(i);
    // slice_like_c3: a crop, never an extension.
    CVM_REQUIRE(ls[u] <= xs[u], "slice_like_c3", "axis ", i, ": like has length ", ls[u],
                " > x length ", xs[u]);
    is_cropped[u] = true;
  }
  // like_i on a cropped axis, x_i elsewhere (include/cvm/rules/slice_like_index.h).
  return {TensorType{rules::slice_like_shape(xs, ls, is_cropped), in[0].precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  fill_output(y, "slice_like_b1", [&](int64_t j) {
    const Index d = unravel(j, y.shape);
    // x[d]: d_i < y_i <= x_i, a valid index of x (the index function of
    // include/cvm/rules/slice_like_index.h; lemma slice_like_b2).
    return at_inside(x, rules::slice_like_source(d), "slice_like_b2");
  });
}

}  // namespace

OpDef op_def_slice_like() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<2>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
