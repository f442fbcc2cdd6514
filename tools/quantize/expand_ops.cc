// Rewrites composite and 1-D ONNX ops into the canonical 2-D ones, before
// the canonicalization in simplify.cc:
//
//   HardSwish(x)             -> Mul(x, HardSigmoid(x; alpha 1/6, beta 1/2))   (ONNX's definition)
//   Conv / MaxPool / AveragePool on (N, C, L)
//                            -> Reshape to (N, C, L, 1), the 2-D op with a unit width
//                               (kernel (k, 1), pads (b, 0, e, 0), strides (s, 1)), Reshape back
//
// The rewritten nodes keep the original node's name (the helpers get a
// suffix), so errors further on still name the ONNX node.
#include "tools/quantize/simplify_util.h"

namespace cvm::quant::detail {
namespace {

FNode make(const std::string& op, const std::string& name, std::vector<std::string> inputs, std::string output) {
  FNode n;
  n.op = op;
  n.name = name;
  n.inputs = std::move(inputs);
  n.output = std::move(output);
  return n;
}

// A Reshape node with a constant shape (the codes 0 and -1 as ONNX's).
FNode reshape(FloatGraph& g, const std::string& name, const std::string& in, const std::string& out,
              const std::vector<float>& codes) {
  const std::string shape =
      fresh_constant(g, name + ".shape", FTensor{{static_cast<int64_t>(codes.size())}, codes});
  return make("Reshape", name, {in, shape}, out);
}

void expand_hard_swish(FloatGraph& g, const FNode& n, std::vector<FNode>& out) {
  const std::string gate = fresh_tensor(g, out, n.output + ".hard_sigmoid");
  FNode hs = make("HardSigmoid", n.name + ".hard_sigmoid", {n.inputs.at(0)}, gate);
  hs.attrs["alpha"].f = 1.0f / 6.0f;
  hs.attrs["beta"].f = 0.5f;
  out.push_back(hs);
  out.push_back(make("Mul", n.name, {n.inputs.at(0), gate}, n.output));
}

// 1-D attributes as 2-D ones with a unit width: (a) -> (a, unit).
void widen(FNode& n, const char* key, int64_t unit) {
  if (!n.has(key)) return;
  std::vector<int64_t>& v = n.attrs[key].ints;
  if (v.size() != 1) fail(n, std::string(key) + " needs 1 entry for a 1-D op");
  v.push_back(unit);
}

void expand_1d(FloatGraph& g, const FNode& n, std::vector<FNode>& out) {
  FNode op2 = n;
  if (n.op == "Conv") {
    const FTensor& w = constant(g, n, 1, "the weight W");
    FTensor w2 = w;
    w2.shape.push_back(1);
    op2.inputs[1] = fresh_constant(g, n.name + ".weight_2d", std::move(w2));
  }
  widen(op2, "kernel_shape", 1);
  widen(op2, "strides", 1);
  widen(op2, "dilations", 1);
  if (n.has("pads")) {
    const std::vector<int64_t> p = n.ints_attr("pads", {});
    if (p.size() != 2) fail(n, "pads needs 2 entries for a 1-D op");
    op2.attrs["pads"].ints = {p[0], 0, p[1], 0};
  }
  const std::string in2 = fresh_tensor(g, out, n.inputs.at(0) + ".2d");
  const std::string out2 = fresh_tensor(g, out, n.output + ".2d");
  out.push_back(reshape(g, n.name + ".to_2d", n.inputs.at(0), in2, {0, 0, -1, 1}));
  op2.inputs[0] = in2;
  op2.output = out2;
  out.push_back(op2);
  out.push_back(reshape(g, n.name + ".to_1d", out2, n.output, {0, 0, -1}));
}

bool is_1d(const FloatGraph& g, const FNode& n) {
  if (n.op == "Conv")
    return n.inputs.size() > 1 && g.is_constant(n.inputs[1]) && g.constants.at(n.inputs[1]).shape.size() == 3;
  if (n.op == "MaxPool" || n.op == "AveragePool") return n.ints_attr("kernel_shape", {}).size() == 1;
  return false;
}

}  // namespace

void expand_ops(FloatGraph& g) {
  std::vector<FNode> out;
  for (const FNode& n : g.nodes) {
    if (n.op == "HardSwish") expand_hard_swish(g, n, out);
    else if (is_1d(g, n)) expand_1d(g, n, out);
    else out.push_back(n);
  }
  g.nodes = std::move(out);
}

}  // namespace cvm::quant::detail
