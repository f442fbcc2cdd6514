// strided_slice - reference transcription of spec/ops/strided_slice.rst.
#include "cvm/ops/strided_slice.h"

#include "cvm/op.h"

namespace cvm {
namespace {

// Upstream's parameter struct for the op: keys, value types, required keys
// and parser bounds (checked before parse, attr_c0 ... attr_c4).
constexpr AttrSpec kAttrs[] = {
    {.key = "begin", .type = AttrType::kShape, .required = false},
    {.key = "end", .type = AttrType::kShape, .required = false},
    {.key = "stride", .type = AttrType::kShape, .required = false},
};

std::any parse(AttrReader& r) {
  StridedSliceAttrs a;
  a.begin = r.tuple("begin", {0});
  a.end = r.tuple("end", {1});
  a.stride = r.tuple("stride", {});
  return a;
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
    const int64_t lo = s[i] > 0 ? 0 : -1;
    const int64_t hi = s[i] > 0 ? d : d - 1;
    // b_hat + d cannot overflow: b_hat < 0 and d <= 2^24.
    const int64_t b = clip(b_hat < 0 ? b_hat + d : b_hat, lo, hi);
    const int64_t e = clip(e_hat < 0 ? e_hat + d : e_hat, lo, hi);
    // strided_slice_c2: a non-empty range in the stride's direction.
    CVM_REQUIRE(s[i] > 0 ? b < e : e < b, "strided_slice_c2", "axis ", i, ": begin ", b_hat,
                " and end ", e_hat, " give the empty range [", b, ", ", e, ") for stride ", s[i],
                " and dim ", d);
    // out_i = ceil(|e - b| / |s|) = 1 + (|e - b| - 1) quot |s|, written without |s| so that
    // s = -2^63 needs no negation: for s < 0, (|e - b| - 1) quot s = -((|e - b| - 1) quot |s|).
    const int64_t dist = s[i] > 0 ? e - b : b - e;
    const int64_t size = s[i] > 0 ? 1 + (dist - 1) / s[i] : 1 - (dist - 1) / s[i];
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
  for (int64_t j = 0; j < y.size(); ++j) {
    const Index k = unravel(j, y.shape);
    Index src(k.size());
    for (size_t i = 0; i < k.size(); ++i) {
      // k_i <= out_i - 1 gives |s_i * k_i| <= |e_i - b_i| - 1 < 2^25: no overflow.
      src[i] = sl[i].b + sl[i].s * k[i];
      CVM_BOUND(src[i] >= 0 && src[i] < x.shape[i], "strided_slice_b2", "axis ", i,
                " source coordinate ", src[i]);
    }
    const int64_t v = x.at(src);
    CVM_BOUND(in_precision(v, y.precision), "strided_slice_b1", "y[", j, "] = ", v);
    y.data[static_cast<size_t>(j)] = static_cast<int32_t>(v);
  }
}

}  // namespace

const OpDef& op_def_strided_slice() {
  static const OpDef def{.name = "strided_slice",
                         .parse_attrs = parse,
                         .num_inputs = fixed_inputs<1>,
                         .num_outputs = 1,
                         .infer = infer,
                         .gas_weight = gas_weight_one,
                         .reference = kernel,
                         .in_place = false,
                         .attr_schema = {.has_parser = true, .fields = kAttrs}};
  return def;
}

}  // namespace cvm
