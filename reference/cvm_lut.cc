// cvm_lut - reference transcription of spec/ops/cvm_lut.rst.
#include "cvm/ops/cvm_lut.h"

#include "cvm/op.h"
#include "cvm/rules/scalar.h"
#include "output_loop.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) { return CvmLutAttrs{.in_dim = r.int32("in_dim")}; }

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const CvmLutAttrs&>(attrs);
  const TensorType& indices = in[0];
  const TensorType& table = in[1];
  // cvm_lut_c1: in_dim is the table's element count.
  CVM_REQUIRE(a.in_dim == shape_size(table.shape), "cvm_lut_c1", "in_dim = ", a.in_dim,
              " but the table ", shape_str(table.shape), " has ", shape_size(table.shape),
              " elements");
  return {TensorType{indices.shape, table.precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  const Tensor& indices = *in[0];
  const Tensor& table = *in[1];
  fill_output(*out[0], "cvm_lut_b1", [&](int64_t j) {
    const int64_t c = rules::clip<int64_t>(indices.data[static_cast<size_t>(j)], 0, table.size() - 1);
    CVM_BOUND(c >= 0 && c < table.size(), "cvm_lut_b2", "table index ", c);
    return int64_t{table.data[static_cast<size_t>(c)]};
  });
}

}  // namespace

OpDef op_def_cvm_lut() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<2>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
