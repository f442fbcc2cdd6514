// take - reference transcription of spec/ops/take.rst.
#include "cvm/ops/take.h"

#include "cvm/op.h"
#include "cvm/rules/index_inside.h"
#include "cvm/rules/take_index.h"
#include "index_loop.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) { return TakeAttrs{.axis = r.optional_int32("axis")}; }

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const TakeAttrs&>(attrs);
  const Shape& xs = in[0].shape;
  const Shape& is = in[1].shape;
  if (!a.axis) return {TensorType{is, in[0].precision}};
  // take_c1: axis in [-n, n-1].
  const auto axis = static_cast<size_t>(
      normalize_axis(*a.axis, static_cast<int64_t>(xs.size()), "take_c1", "axis"));
  // (d_0 .. d_{a-1}, q_0 .. q_{m-1}, d_{a+1} .. d_{n-1})
  return {TensorType{rules::take_shape(xs, is, static_cast<int>(axis)), in[0].precision}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const TakeAttrs&>(attrs);
  const Tensor& x = *in[0];
  const Tensor& ind = *in[1];
  Tensor& y = *out[0];
  if (!a.axis) {
    fill_output(y, "take_b1", [&](int64_t j) {
      // The index function of include/cvm/rules/take_index.h (lemma take_b3).
      const int64_t c = rules::take_clip<int64_t>(ind.data[static_cast<size_t>(j)], x.size());
      CVM_BOUND(c >= 0 && c < x.size(), "take_b2", "flat index ", c);
      return int64_t{x.data[static_cast<size_t>(c)]};
    });
    return;
  }
  // The index function of include/cvm/rules/take_index.h (lemma take_b3).
  const int axis =
      rules::take_axis(static_cast<int>(*a.axis), static_cast<int>(x.shape.size()));
  const auto ni = static_cast<int>(ind.shape.size());
  const int64_t n_a = x.shape[static_cast<size_t>(axis)];
  fill_output(y, "take_b1", [&](int64_t j) {
    const Index d = unravel(j, y.shape);  // (pre, k, post)
    // k: the index coordinate, d[axis .. axis + ni).
    const Index k = rules::take_indices_coord(d, axis, ni);
    CVM_BOUND(k.size() == ind.shape.size() && rules::index_inside(k, ind.shape), "take_b3",
              "indices index ", shape_str(k));
    const int64_t c = rules::take_clip<int64_t>(ind.at(k), n_a);
    CVM_BOUND(c >= 0 && c < n_a, "take_b2", "axis index ", c);
    return at_inside(x, rules::take_source(d, axis, ni, c), "take_b3");
  });
}

}  // namespace

OpDef op_def_take() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<2>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
