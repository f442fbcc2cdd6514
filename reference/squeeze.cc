// squeeze - reference transcription of spec/ops/squeeze.rst.
#include "cvm/ops/squeeze.h"

#include "cvm/op.h"
#include "unary_common.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) { return SqueezeAttrs{.axis = r.tuple("axis")}; }

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const SqueezeAttrs&>(attrs);
  const Shape& d = in[0].shape;
  const auto N = static_cast<int64_t>(d.size());
  // remove[i]: dim i is in the set A.
  std::vector<bool> remove(d.size(), false);
  if (a.axis.empty()) {
    for (size_t i = 0; i < d.size(); ++i) remove[i] = d[i] == 1;
  } else {
    for (int64_t e : a.axis) {
      // squeeze_c1: e in [-N, N-1].
      const int64_t i = normalize_axis(e, N, "squeeze_c1", "axis");
      // squeeze_c2: the named dim has size 1.
      CVM_REQUIRE(d[static_cast<size_t>(i)] == 1, "squeeze_c2", "axis ", e, " names dim ", i,
                  " of size ", d[static_cast<size_t>(i)], " in ", shape_str(d));
      remove[static_cast<size_t>(i)] = true;
    }
  }
  Shape out;
  for (size_t i = 0; i < d.size(); ++i)
    if (!remove[i]) out.push_back(d[i]);
  if (out.empty()) out.push_back(1);  // every dim removed: (1,)
  return {TensorType{out, in[0].precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  copy_elements(*in[0], *out[0], "squeeze_b1");
}

}  // namespace

OpDef op_def_squeeze() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
