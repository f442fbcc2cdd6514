#include "tools/quantize/check_graph.h"

#include "cvm/errors.h"
#include "tools/quantize/float_exec.h"

namespace cvm::quant {
namespace {

[[noreturn]] void fail(const FNode& n, const std::string& message) {
  throw_logic("quantize", n.describe() + ": " + message);
}

// max_pool2d (and the padded depthwise conv2d of AveragePool) on input
// (N, C, H, W) with output (.., OH, OW).
void check_pool(const FNode& n, const Shape& x, const Shape& y) {
  const std::vector<int64_t> k = n.ints_attr("kernel_shape", {}), s = n.ints_attr("strides", {1, 1}),
                             p = n.ints_attr("pads", {0, 0});
  for (size_t a = 0; a < 2; ++a) {
    const char* axis = a == 0 ? "height" : "width";
    // max_pool2d_c7: a window made of padding only would have no maximum.
    if (n.op == "MaxPool" && p[a] >= k[a])
      fail(n, std::string("padding ") + std::to_string(p[a]) + " is not below the kernel " + std::to_string(k[a]) +
                  " along the " + axis + " (CVM max_pool2d_c7)");
    // max_pool2d_c8: with ceil_mode the last window must start inside x.
    // torch drops such a window, ONNX keeps it, the CVM op rejects it.
    if (n.op == "MaxPool" && (y[2 + a] - 1) * s[a] - p[a] >= x[2 + a])
      fail(n, std::string("ceil_mode gives a last window that starts in the padding along the ") + axis +
                  " (output " + std::to_string(y[2 + a]) + ", stride " + std::to_string(s[a]) + ", pad " +
                  std::to_string(p[a]) + ", input " + std::to_string(x[2 + a]) +
                  "); the CVM max_pool2d rejects it (max_pool2d_c8) and torch would drop it: export without "
                  "ceil_mode or with padding that leaves no such window");
  }
}

}  // namespace

std::map<std::string, Shape> check_lowerable(const FloatGraph& g) {
  std::map<std::string, Shape> shapes;
  for (const auto& [name, t] : g.constants) shapes[name] = t.shape;
  shapes[g.input] = g.input_shape;
  for (const FNode& n : g.nodes) {
    std::vector<Shape> in;
    for (const std::string& name : n.inputs) {
      if (name.empty()) continue;
      const auto it = shapes.find(name);
      if (it == shapes.end()) fail(n, "reads '" + name + "', which is not computed before it");
      in.push_back(it->second);
    }
    if (in.empty()) fail(n, "has no input");
    const Shape y = float_output_shape(n, in);
    if (n.op == "MaxPool") check_pool(n, in[0], y);
    shapes[n.output] = y;
  }
  for (const std::string& out : g.outputs)
    if (shapes.count(out) == 0) throw_logic("quantize", "the graph output '" + out + "' is never computed");
  // Several CVM heads are interleaved by rows (all but the last axis): they
  // must all have the same row count, or every inference fails (infer_c2,
  // spec/model/inference.rst) and the model cannot be certified.
  const auto rows = [&](const std::string& name) {
    const Shape& s = shapes.at(name);
    return s.empty() || s.back() == 0 ? element_count(s) : element_count(s) / s.back();
  };
  for (const std::string& out : g.outputs)
    if (g.outputs.size() > 1 && rows(out) != rows(g.outputs[0]))
      throw_logic("quantize", "the graph output '" + out + "' has " + std::to_string(rows(out)) +
                                  " rows (elements over the last axis), output '" + g.outputs[0] + "' has " +
                                  std::to_string(rows(g.outputs[0])) +
                                  ": CVM interleaves several outputs row by row and needs equal row counts "
                                  "(infer_c2); reshape the heads to (N, boxes, values) in the ONNX model");
  return shapes;
}

}  // namespace cvm::quant
