// upsampling - reference transcription of spec/ops/upsampling.rst.
#include "cvm/ops/upsampling.h"

#include "cvm/op.h"
#include "cvm/rules/upsampling_index.h"
#include "output_loop.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) {
  UpsamplingAttrs a;
  a.scale = r.int32("scale");
  const std::string layout = r.string("layout");
  const std::string method = r.string("method");
  // upsampling_c1: scale in [1, 4096].
  CVM_REQUIRE(a.scale >= 1 && a.scale <= 4096, "upsampling_c1", "scale ", a.scale,
              " is outside [1, 4096]");
  // upsampling_c2: only the NCHW layout.
  CVM_REQUIRE(layout == "NCHW", "upsampling_c2", "layout \"", layout, "\" is not NCHW");
  // upsampling_c3: only nearest-neighbour.
  CVM_REQUIRE(method == "NEAREST_NEIGHBOR", "upsampling_c3", "method \"", method,
              "\" is not NEAREST_NEIGHBOR");
  return a;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const UpsamplingAttrs&>(attrs);
  const Shape& xs = in[0].shape;
  // upsampling_c4: x is (N, C, H, W).
  CVM_REQUIRE(xs.size() == 4, "upsampling_c4", "x has shape ", shape_str(xs), ", expected rank 4");
  // H*s and W*s are at most 2^24 * 4096 = 2^36; op_c2 rejects them above 2^24.
  return {TensorType{{xs[0], xs[1], xs[2] * a.scale, xs[3] * a.scale}, in[0].precision}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const UpsamplingAttrs&>(attrs);
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  fill_output(y, "upsampling_b1", [&](int64_t o) {
    const Index yi = unravel(o, y.shape);  // (n, c, h, w)
    // The source row and column (cvm/rules/upsampling_index.h): inside x
    // (upsampling_b2).
    const int64_t sh = rules::upsampling_source(yi[2], a.scale);
    const int64_t sw = rules::upsampling_source(yi[3], a.scale);
    CVM_BOUND(sh >= 0 && sh < x.shape[2] && sw >= 0 && sw < x.shape[3],
              "upsampling_b2", "source (", sh, ", ", sw, ") of y", shape_str(yi));
    return int64_t{x.at({yi[0], yi[1], sh, sw})};
  });
}

}  // namespace

OpDef op_def_upsampling() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
