#include "cvm/validate.h"

namespace cvm {
namespace {

// tensor_c1..c4: the limits every tensor type obeys (spec/common.rst).
void check_type(const TensorType& t, const char* rank_label, const char* dim_label,
                const char* size_label, const char* prec_label, std::string_view what) {
  const auto rank = static_cast<int64_t>(t.shape.size());
  CVM_REQUIRE(rank >= 1 && rank <= kMaxRank, rank_label, what, " has rank ", rank,
              ", outside [1, ", kMaxRank, "]");
  int64_t size = 1;
  for (int64_t d : t.shape) {
    CVM_REQUIRE(d >= 1 && d <= kMaxDim, dim_label, what, " shape ", shape_str(t.shape),
                " has a dim outside [1, 2^24]");
    size *= d;  // at most (2^30) * 2^24 before the check below fires: fits int64
    CVM_REQUIRE(size <= kMaxSize, size_label, what, " shape ", shape_str(t.shape),
                " has more than 2^30 elements");
  }
  CVM_REQUIRE(t.precision >= kMinPrecision && t.precision <= kMaxPrecision, prec_label, what,
              " precision ", t.precision, " is outside [1, 32]");
}

}  // namespace

ValidatedOp validate_op(std::string_view op_name, const AttrMap& attrs, const Types& inputs) {
  ValidatedOp v;
  v.op = &resolve_op(op_name, "");
  const OpDef& op = *v.op;

  check_attr_syntax(op.name, op.attr_schema(), attrs);
  AttrReader reader(op.name, op.attr_schema(), attrs);
  v.attrs = op.parse_attrs(reader);

  const int want = op.num_inputs(v.attrs);
  const auto got = static_cast<int>(inputs.size());
  CVM_REQUIRE(want == kVariadic ? got >= 1 : got == want, "op_c1", op.name, " takes ",
              want == kVariadic ? std::string("at least 1") : std::to_string(want),
              " inputs, got ", got);
  for (size_t i = 0; i < inputs.size(); ++i)
    check_type(inputs[i], "tensor_c1", "tensor_c2", "tensor_c3", "tensor_c4",
               str(op.name, " input ", i));

  v.outputs = op.infer(v.attrs, inputs);
  CVM_BOUND(static_cast<int>(v.outputs.size()) == op.num_outputs, "op_internal", op.name,
            " inferred a wrong number of outputs");
  for (size_t i = 0; i < v.outputs.size(); ++i)
    check_type(v.outputs[i], "op_c2", "op_c2", "op_c2", "op_c3", str(op.name, " output ", i));
  v.gas_weight = op.gas_weight(v.attrs, inputs, v.outputs);
  return v;
}

void check_input_values(std::string_view op_name, const std::vector<Tensor>& inputs) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = inputs[i];
    CVM_REQUIRE(t.size() == shape_size(t.shape), "tensor_c5", op_name, " input ", i, " has ",
                t.size(), " values for shape ", shape_str(t.shape));
    for (int64_t k = 0; k < t.size(); ++k)
      CVM_REQUIRE(in_precision(t.data[static_cast<size_t>(k)], t.precision), "tensor_c5",
                  op_name, " input ", i, " value ", t.data[static_cast<size_t>(k)],
                  " at flat index ", k, " exceeds precision ", t.precision);
  }
}

OpRun run_reference(std::string_view op_name, const AttrMap& attrs,
                    const std::vector<Tensor>& inputs) {
  Types in_types;
  for (const Tensor& t : inputs) in_types.push_back(t.type());
  ValidatedOp v = validate_op(op_name, attrs, in_types);
  check_input_values(op_name, inputs);

  Inputs in;
  for (const Tensor& t : inputs) in.push_back(&t);

  OpRun run;
  run.gas_weight = v.gas_weight;
  for (const TensorType& t : v.outputs)
    run.outputs.push_back(Tensor{t.shape, t.precision,
                                 std::vector<int32_t>(static_cast<size_t>(shape_size(t.shape)), 0)});
  Outputs out;
  for (Tensor& t : run.outputs) out.push_back(&t);
  v.op->reference(v.attrs, in, out);

  assert_outputs_in_precision(op_name, run.outputs);
  return run;
}

void assert_outputs_in_precision(std::string_view op_name, const std::vector<Tensor>& outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& t = outputs[i];
    for (int64_t k = 0; k < t.size(); ++k)
      CVM_BOUND(in_precision(t.data[static_cast<size_t>(k)], t.precision), "op_b1", op_name,
                " output ", i, " value ", t.data[static_cast<size_t>(k)], " at flat index ", k,
                " exceeds its inferred precision ", t.precision);
  }
}

}  // namespace cvm
