// strided_slice - reference transcription of spec/ops/strided_slice.rst.
#include "cvm/ops/strided_slice.h"

#include "cvm/op.h"
#include "cvm/rules/strided_slice_index.h"
#include "output_loop.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) {
  return StridedSliceAttrs{.begin = r.tuple("begin"), .end = r.tuple("end"), .stride = r.tuple("stride")};
}

// The per-axis slice after padding, normalisation and clamping.
struct AxisSlice {
  int64_t b = 0;     // first source coordinate
  int64_t s = 1;     // stride
  int64_t size = 1;  // out_i
};

// Entries beyond the rank are ignored (Quirk); the constraints cover axes < rank only.
std::vector<AxisSlice> slices(const StridedSliceAttrs& a, const Shape& shape) {
  const size_t n = shape.size();
  std::vector<int64_t> s(n);
  for (size_t i = 0; i < n; ++i) {
    s[i] = i < a.stride.size() ? a.stride[i] : 1;
    // strided_slice_c1: no zero stride.
    CVM_REQUIRE(s[i] != 0, "strided_slice_c1", "stride on axis ", i, " is 0");
  }
  std::vector<AxisSlice> out(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t d = shape[i];
    const int64_t b_hat = i < a.begin.size() ? a.begin[i] : 0;
    const int64_t e_hat = i < a.end.size() ? a.end[i] : d;
    // b_i, e_i: from the end once if negative, clipped to (lo_i, hi_i) (the index
    // function of include/cvm/rules/strided_slice_index.h; lemma strided_slice_b3).
    const int64_t b = rules::strided_slice_clamp(b_hat, d, s[i]);
    const int64_t e = rules::strided_slice_clamp(e_hat, d, s[i]);
    // strided_slice_c2: a non-empty range in the stride's direction.
    CVM_REQUIRE(rules::strided_slice_nonempty(b, e, s[i]), "strided_slice_c2", "axis ", i,
                ": begin ", b_hat, " and end ", e_hat, " give the empty range [", b, ", ", e,
                ") for stride ", s[i], " and dim ", d);
    // out_i = 1 + (|e - b| - 1) div |s|, computed without |s| (s = -2^63 is valid).
    const int64_t size = rules::strided_slice_length(b, e, s[i]);
    CVM_BOUND(size >= 1 && size <= d, "strided_slice_b3", "axis ", i, " length ", size);
    out[i] = AxisSlice{b, s[i], size};
  }
  return out;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const StridedSliceAttrs&>(attrs);
  Shape shape;
  for (const AxisSlice& sl : slices(a, in[0].shape)) shape.push_back(sl.size);
  return {TensorType{shape, in[0].precision}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const StridedSliceAttrs&>(attrs);
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  const std::vector<AxisSlice> sl = slices(a, x.shape);
  fill_output(y, "strided_slice_b1", [&](int64_t j) {
    const Index k = unravel(j, y.shape);
    Index src(k.size());
    for (size_t i = 0; i < k.size(); ++i) {
      // k_i <= out_i - 1 gives |s_i * k_i| <= |e_i - b_i| - 1 < 2^25: no overflow.
      src[i] = rules::strided_slice_source(sl[i].b, sl[i].s, k[i]);
      CVM_BOUND(src[i] >= 0 && src[i] < x.shape[i], "strided_slice_b2", "axis ", i,
                " source coordinate ", src[i]);
    }
    return int64_t{x.at(src)};
  });
}

}  // namespace

OpDef op_def_strided_slice() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
