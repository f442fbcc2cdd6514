#include "onnx_builder.h"

#include "tools/quantize/check_graph.h"
#include "tools/quantize/onnx_import.h"
#include "tools/quantize/simplify.h"

namespace cvm::quant::test {
namespace {

void shape_of(onnx::ValueInfoProto* v, const std::string& name, const std::vector<int64_t>& shape) {
  v->set_name(name);
  auto* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape) t->mutable_shape()->add_dim()->set_dim_value(d);
}

}  // namespace

OnnxBuilder::OnnxBuilder(const std::vector<int64_t>& input_shape, const std::vector<int64_t>& output_shape) {
  model_.set_ir_version(8);
  auto* opset = model_.add_opset_import();
  opset->set_domain("");
  opset->set_version(13);
  shape_of(model_.mutable_graph()->add_input(), "x", input_shape);
  shape_of(model_.mutable_graph()->add_output(), "y", output_shape);
}

void OnnxBuilder::output(const std::string& name, const std::vector<int64_t>& shape) {
  shape_of(model_.mutable_graph()->add_output(), name, shape);
}

void OnnxBuilder::floats(onnx::NodeProto& n, const std::string& key, const std::vector<float>& v) {
  onnx::AttributeProto* a = n.add_attribute();
  a->set_name(key);
  a->set_type(onnx::AttributeProto::FLOATS);
  for (float x : v) a->add_floats(x);
}

void OnnxBuilder::constant(const std::string& name, const std::vector<int64_t>& shape,
                           const std::vector<float>& values) {
  onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape) t->add_dims(d);
  for (float v : values) t->add_float_data(v);
}

onnx::NodeProto& OnnxBuilder::node(const std::string& op, const std::string& name,
                                   const std::vector<std::string>& inputs, const std::string& output) {
  onnx::NodeProto* n = model_.mutable_graph()->add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (const std::string& i : inputs) n->add_input(i);
  n->add_output(output);
  return *n;
}

void OnnxBuilder::ints(onnx::NodeProto& n, const std::string& key, const std::vector<int64_t>& v) {
  onnx::AttributeProto* a = n.add_attribute();
  a->set_name(key);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

void OnnxBuilder::integer(onnx::NodeProto& n, const std::string& key, int64_t v) {
  onnx::AttributeProto* a = n.add_attribute();
  a->set_name(key);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void OnnxBuilder::real(onnx::NodeProto& n, const std::string& key, float v) {
  onnx::AttributeProto* a = n.add_attribute();
  a->set_name(key);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

void OnnxBuilder::text(onnx::NodeProto& n, const std::string& key, const std::string& v) {
  onnx::AttributeProto* a = n.add_attribute();
  a->set_name(key);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

void OnnxBuilder::int_constant(const std::string& name, const std::vector<int64_t>& values) {
  onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(static_cast<int64_t>(values.size()));
  for (int64_t v : values) t->add_int64_data(v);
}

void OnnxBuilder::int_scalar(const std::string& name, int64_t value) {
  onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_int64_data(value);
}

std::string OnnxBuilder::bytes() const { return model_.SerializeAsString(); }

FloatGraph simplified(const std::string& onnx) {
  FloatGraph g = import_onnx(onnx);
  simplify(g);
  check_lowerable(g);
  return g;
}

}  // namespace cvm::quant::test
