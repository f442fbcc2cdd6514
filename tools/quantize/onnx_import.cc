#include "tools/quantize/onnx_import.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "cvm/errors.h"

namespace cvm::quant {
namespace {

[[noreturn]] void fail(const std::string& message) { throw_logic("quantize", message); }

// The attributes each supported op may carry. An attribute outside its op's
// list would change the op's meaning in a way the lowering does not model.
const std::map<std::string, std::set<std::string>>& supported_ops() {
  static const std::map<std::string, std::set<std::string>> ops = {
      {"Conv", {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"}},
      {"Gemm", {"alpha", "beta", "transA", "transB"}},
      {"MatMul", {}},
      {"Add", {}},
      {"BatchNormalization", {"epsilon", "momentum", "training_mode", "spatial"}},
      {"Relu", {}},
      {"Clip", {"min", "max"}},
      {"MaxPool", {"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"}},
      {"AveragePool", {"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"}},
      {"GlobalAveragePool", {}},
      {"Flatten", {"axis"}},
      {"Reshape", {"allowzero"}},
      {"Concat", {"axis"}},
      {"Transpose", {"perm"}},
      {"Identity", {}},
      {"Dropout", {"ratio", "seed"}},
      {"Constant", {"value"}},
      // Folded into the Conv / pool that reads it (simplify.cc).
      {"Pad", {"mode", "pads", "value"}},
      {"Mul", {}},
      {"HardSigmoid", {"alpha", "beta"}},
      {"HardSwish", {}},
      {"ReduceMean", {"axes", "keepdims"}},
      // Shape arithmetic, folded into constants (fold_shapes.cc); Slice and
      // Split of a computed tensor become strided slices.
      {"Shape", {"start", "end"}},
      {"Gather", {"axis"}},
      {"Slice", {"starts", "ends", "axes"}},
      {"Split", {"axis", "split"}},
      {"Unsqueeze", {"axes"}},
      {"Squeeze", {"axes"}},
      {"Cast", {"to"}},
      {"Div", {}},
      {"Sub", {}},
      // Detection heads (docs/quantizer.rst, "Detection heads").
      {"LeakyRelu", {"alpha"}},
      {"Sigmoid", {}},
      {"Exp", {}},
      {"Softmax", {"axis"}},
      {"Resize", {"coordinate_transformation_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "mode",
                  "nearest_mode"}},
      {"Upsample", {"mode", "scales"}},
  };
  return ops;
}

// Converts an initializer or Constant value to floats. Integer tensors (the
// shape of a Reshape, Clip bounds) are exact in float up to 2^24.
FTensor to_tensor(const onnx::TensorProto& t, const std::string& where) {
  FTensor out;
  for (int64_t d : t.dims()) {
    if (d < 0 || d > (int64_t{1} << 30)) fail(where + ": tensor '" + t.name() + "' has an invalid dimension");
    out.shape.push_back(d);
  }
  const int64_t n = element_count(out.shape);
  if (n > (int64_t{1} << 28)) fail(where + ": tensor '" + t.name() + "' is too large");
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    fail(where + ": tensor '" + t.name() + "' uses external data (not supported)");
  out.data.resize(static_cast<size_t>(n));
  const std::string& raw = t.raw_data();
  auto check_count = [&](int64_t have) {
    if (have != n)
      fail(where + ": tensor '" + t.name() + "' holds " + std::to_string(have) + " values, its shape needs " +
           std::to_string(n));
  };
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (!raw.empty()) {
        check_count(static_cast<int64_t>(raw.size() / 4));
        if (raw.size() % 4 != 0) fail(where + ": tensor '" + t.name() + "' raw data is not whole floats");
        std::memcpy(out.data.data(), raw.data(), raw.size());  // ONNX raw data is little-endian
      } else {
        check_count(t.float_data_size());
        for (int64_t i = 0; i < n; ++i) out.data[static_cast<size_t>(i)] = t.float_data(static_cast<int>(i));
      }
      break;
    case onnx::TensorProto::INT64: {
      std::vector<int64_t> v(static_cast<size_t>(n));
      if (!raw.empty()) {
        check_count(static_cast<int64_t>(raw.size() / 8));
        if (raw.size() % 8 != 0) fail(where + ": tensor '" + t.name() + "' raw data is not whole int64s");
        std::memcpy(v.data(), raw.data(), raw.size());
      } else {
        check_count(t.int64_data_size());
        for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = t.int64_data(static_cast<int>(i));
      }
      // Beyond +-2^24 (no dimension is that large) a value saturates to
      // +-2^30, exact in float: Slice's "to the end" (INT64_MAX) still
      // means the end, and a shape code that large is still rejected.
      constexpr int64_t kExact = int64_t{1} << 24, kFar = int64_t{1} << 30;
      for (int64_t i = 0; i < n; ++i) {
        const int64_t x = v[static_cast<size_t>(i)];
        out.data[static_cast<size_t>(i)] = static_cast<float>(x > kExact ? kFar : x < -kExact ? -kFar : x);
      }
      break;
    }
    default:
      fail(where + ": tensor '" + t.name() + "' has ONNX data type " + std::to_string(t.data_type()) +
           "; only FLOAT and INT64 are supported");
  }
  for (float f : out.data)
    if (!std::isfinite(f)) fail(where + ": tensor '" + t.name() + "' holds a value that is not finite");
  return out;
}

FAttr to_attr(const onnx::AttributeProto& a, const std::string& where) {
  FAttr out;
  switch (a.type()) {
    case onnx::AttributeProto::INT: out.i = a.i(); break;
    case onnx::AttributeProto::FLOAT: out.f = a.f(); break;
    case onnx::AttributeProto::INTS: out.ints.assign(a.ints().begin(), a.ints().end()); break;
    case onnx::AttributeProto::FLOATS: out.floats.assign(a.floats().begin(), a.floats().end()); break;
    case onnx::AttributeProto::STRING: out.s = a.s(); break;
    case onnx::AttributeProto::TENSOR: break;  // Constant's value, read separately
    default: fail(where + ": attribute '" + a.name() + "' has an unsupported type");
  }
  return out;
}

Shape input_shape(const onnx::ValueInfoProto& v, int64_t batch) {
  const std::string where = "graph input '" + v.name() + "'";
  if (!v.type().has_tensor_type()) fail(where + " is not a tensor");
  const auto& tt = v.type().tensor_type();
  if (tt.elem_type() != onnx::TensorProto::FLOAT) fail(where + " is not FLOAT");
  if (!tt.has_shape()) fail(where + " has no shape");
  Shape shape;
  for (int i = 0; i < tt.shape().dim_size(); ++i) {
    const auto& d = tt.shape().dim(i);
    if (d.has_dim_value() && d.dim_value() > 0) {
      shape.push_back(d.dim_value());
    } else if (i == 0) {
      shape.push_back(batch);  // a dynamic batch dimension
    } else {
      fail(where + ": dimension " + std::to_string(i) + " is not fixed");
    }
  }
  return shape;
}

}  // namespace

FloatGraph import_onnx(std::string_view bytes, int64_t batch) {
  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    fail("the file is not a valid ONNX ModelProto");
  FloatGraph out;
  for (const auto& opset : model.opset_import()) {
    if (!opset.domain().empty() && opset.domain() != "ai.onnx") continue;
    if (opset.version() < 7 || opset.version() > 17)
      fail("ONNX opset " + std::to_string(opset.version()) + " is outside the supported range 7..17");
    out.opset = opset.version();
  }
  const onnx::GraphProto& g = model.graph();

  for (const auto& init : g.initializer())
    out.constants[init.name()] = to_tensor(init, "initializer '" + init.name() + "'");

  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const auto& v : g.input())
    if (!out.is_constant(v.name())) inputs.push_back(&v);
  if (inputs.size() != 1)
    fail("the graph has " + std::to_string(inputs.size()) + " non-constant inputs; exactly one is supported");
  out.input = inputs[0]->name();
  out.input_shape = input_shape(*inputs[0], batch);
  if (g.output_size() < 1) fail("the graph has no output");
  for (const auto& o : g.output()) {
    if (out.is_output(o.name())) fail("graph output '" + o.name() + "' is listed twice");
    out.outputs.push_back(o.name());
  }

  std::set<std::string> defined = {out.input};
  for (const auto& [name, t] : out.constants) defined.insert(name);
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto& n = g.node(i);
    FNode node;
    node.op = n.op_type();
    node.name = n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name();
    const std::string where = node.describe();
    if (!n.domain().empty() && n.domain() != "ai.onnx") fail(where + ": domain '" + n.domain() + "' is not supported");
    const auto op = supported_ops().find(node.op);
    if (op == supported_ops().end()) fail(where + ": op type '" + node.op + "' is not supported by cvm quantize");
    for (const auto& a : n.attribute()) {
      if (op->second.count(a.name()) == 0)
        fail(where + ": attribute '" + a.name() + "' is not supported");
      node.attrs[a.name()] = to_attr(a, where);
    }
    // Dropout may have a second (mask) output; nothing may read it. Split
    // becomes one node per output, each told its index.
    const int outputs = n.output_size();
    if (outputs < 1 || (outputs > 1 && node.op != "Dropout" && node.op != "Split"))
      fail(where + ": has " + std::to_string(outputs) + " outputs; exactly one is supported");
    node.output = n.output(0);
    if (node.op == "Constant") {
      const auto& a = n.attribute();
      if (a.size() != 1 || a[0].name() != "value" || a[0].type() != onnx::AttributeProto::TENSOR)
        fail(where + ": only a Constant with a tensor 'value' is supported");
      out.constants[node.output] = to_tensor(a[0].t(), where);
      defined.insert(node.output);
      continue;
    }
    for (const auto& in : n.input()) {
      if (!in.empty() && defined.count(in) == 0)
        fail(where + ": input '" + in + "' is not defined before the node (graph not topologically sorted?)");
      node.inputs.push_back(in);
    }
    const int parts = node.op == "Split" ? outputs : 1;
    for (int k = 0; k < parts; ++k) {
      FNode part = node;
      part.output = n.output(k);
      if (node.op == "Split") {
        part.attrs["output_index"].i = k;
        part.attrs["outputs"].i = outputs;
      }
      if (part.output.empty() || defined.count(part.output) != 0)
        fail(where + ": output '" + part.output + "' is empty or defined twice");
      defined.insert(part.output);
      out.nodes.push_back(std::move(part));
    }
  }
  for (const std::string& o : out.outputs)
    if (defined.count(o) == 0) fail("graph output '" + o + "' is never computed");
  return out;
}

std::vector<std::string> supported_onnx_ops() {
  std::vector<std::string> ops;
  for (const auto& entry : supported_ops()) ops.push_back(entry.first);  // a std::map: sorted
  return ops;
}

FloatGraph import_onnx_file(const std::string& path, int64_t batch) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw_runtime("io", "cannot open ONNX file '" + path + "'");
  std::ostringstream s;
  s << f.rdbuf();
  if (!f.good() && !f.eof()) throw_runtime("io", "cannot read ONNX file '" + path + "'");
  return import_onnx(s.str(), batch);
}

}  // namespace cvm::quant
