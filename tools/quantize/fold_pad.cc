// Pad folding: a constant zero Pad before a Conv, AveragePool or MaxPool
// becomes part of that op's own padding, so no CVM op is needed for it.
//
//   Conv:        conv2d pads with zeros: the sum is the same.
//   AveragePool: a zero Pad then an average over k cells is the padded sum
//                over a constant k: the pool counts pad cells
//                (count_include_pad 1), which is what the lowering does.
//   MaxPool:     max_pool2d never lets a pad cell win (it pads with -inf);
//                a zero Pad differs only where every cell of a window is < 0,
//                so it folds only when its input is known to be >= 0.
//
// The combined padding must still be symmetric for the CVM ops; that is
// checked (naming the Pad) when the reader is canonicalized.
#include <cmath>

#include "tools/quantize/simplify_util.h"

namespace cvm::quant::detail {
namespace {

struct ZeroPad {
  std::vector<int64_t> begin, end;  // per spatial axis
};

ZeroPad read_pad(const FloatGraph& g, const FNode& pad) {
  const std::string mode = pad.has("mode") ? pad.attrs.at("mode").s : "constant";
  if (mode != "constant")
    fail(pad, "mode '" + mode + "' is not supported: only a constant zero Pad can be folded into the next op");
  std::vector<int64_t> pads;
  if (pad.inputs.size() > 1 && !pad.inputs[1].empty()) {
    for (float v : constant(g, pad, 1, "pads").data) pads.push_back(int_value(v));
  } else {
    pads = pad.ints_attr("pads", {});
  }
  float value = pad.float_attr("value", 0.0f);
  if (pad.inputs.size() > 2 && !pad.inputs[2].empty()) value = vector_of(g, pad, 2, 1, "constant_value")[0];
  if (pad.inputs.size() > 3) fail(pad, "the axes input is not supported");
  if (value != 0.0f) fail(pad, "pads with " + std::to_string(value) + "; only zero padding can be folded");
  if (pads.size() != 6 && pads.size() != 8)
    fail(pad, "pads must have 6 or 8 entries (N, C and 1 or 2 spatial axes, begins then ends)");
  const size_t r = pads.size() / 2;
  for (int64_t p : pads)
    if (p < 0) fail(pad, "negative pads (cropping) are not supported");
  if (pads[0] != 0 || pads[1] != 0 || pads[r] != 0 || pads[r + 1] != 0)
    fail(pad, "padding the batch or channel axis is not supported");
  return ZeroPad{{pads.begin() + 2, pads.begin() + static_cast<std::ptrdiff_t>(r)},
                 {pads.begin() + static_cast<std::ptrdiff_t>(r) + 2, pads.end()}};
}

// Whether tensor `name` is >= 0 on every input: produced by Relu, a Clip
// with min >= 0, or a MaxPool / Concat of such tensors.
bool non_negative(const FloatGraph& g, const std::string& name) {
  for (const FNode& n : g.nodes) {
    if (n.output != name) continue;
    if (n.op == "Relu") return true;
    if (n.op == "Clip") {
      if (n.inputs.size() > 1 && !n.inputs[1].empty())
        return g.is_constant(n.inputs[1]) && g.constants.at(n.inputs[1]).data.size() == 1 &&
               g.constants.at(n.inputs[1]).data[0] >= 0.0f;
      return n.has("min") && n.float_attr("min", -1.0f) >= 0.0f;
    }
    if (n.op == "MaxPool") return non_negative(g, n.inputs.at(0));
    if (n.op == "Concat") {
      for (const std::string& in : n.inputs)
        if (!non_negative(g, in)) return false;
      return true;
    }
    return false;
  }
  return false;  // the graph input or a constant
}

void fold_into(const FloatGraph& g, const FNode& pad, const ZeroPad& zp, FNode& reader) {
  const size_t k = zp.begin.size();
  const std::string pad_mode = reader.has("auto_pad") ? reader.attrs.at("auto_pad").s : "NOTSET";
  if (pad_mode != "NOTSET" && pad_mode != "VALID")
    fail(pad, "cannot be folded into " + reader.describe() + ", which has auto_pad '" + pad_mode + "'");
  std::vector<int64_t> own = reader.ints_attr("pads", std::vector<int64_t>(2 * k, 0));
  if (own.size() != 2 * k)
    fail(pad, "pads " + std::to_string(k) + " spatial axes but " + reader.describe() + " has " +
                  std::to_string(own.size() / 2));
  bool own_pads = false;
  for (int64_t p : own) own_pads = own_pads || p != 0;
  if (reader.op == "AveragePool") {
    if (own_pads && reader.int_attr("count_include_pad", 0) == 0)
      fail(pad, "cannot be folded into " + reader.describe() +
                    ": its own pads are excluded from the average (count_include_pad 0) while the Pad's zeros "
                    "count, so the divisor would vary by position");
    reader.attrs["count_include_pad"].i = 1;
  }
  if (reader.op == "MaxPool" && !non_negative(g, pad.inputs.at(0)))
    fail(pad, "cannot be folded into " + reader.describe() +
                  ": MaxPool's padding never wins but a zero pad wins over negative values, so folding is exact "
                  "only when the Pad's input is >= 0 (e.g. produced by Relu), and '" + pad.inputs.at(0) +
                  "' is not known to be");
  for (size_t a = 0; a < k; ++a) {
    own[a] += zp.begin[a];
    own[k + a] += zp.end[a];
  }
  reader.attrs["pads"].ints = own;
  reader.attrs.erase("auto_pad");
  reader.attrs["folded_pad"].s = pad.name;  // named if the sum is not symmetric
  reader.inputs[0] = pad.inputs.at(0);
}

}  // namespace

void fold_pads(FloatGraph& g) {
  const std::map<std::string, int> uses = use_counts(g);
  std::vector<bool> drop(g.nodes.size(), false);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const FNode& pad = g.nodes[i];
    if (pad.op != "Pad") continue;
    if (pad.inputs.empty() || pad.inputs[0].empty()) fail(pad, "has no input");
    const ZeroPad zp = read_pad(g, pad);
    FNode* reader = nullptr;
    for (size_t j = i + 1; j < g.nodes.size() && reader == nullptr; ++j)
      for (const std::string& in : g.nodes[j].inputs)
        if (in == pad.output) reader = &g.nodes[j];
    const bool foldable = reader != nullptr && uses.at(pad.output) == 1 && reader->inputs[0] == pad.output &&
                          (reader->op == "Conv" || reader->op == "AveragePool" || reader->op == "MaxPool");
    if (!foldable)
      fail(pad, "a Pad is supported only as the data input of one Conv, AveragePool or MaxPool (its only reader), "
                "where it is folded into that op's padding; CVM has no standalone pad op");
    fold_into(g, pad, zp, *reader);
    drop[i] = true;
  }
  std::vector<FNode> kept;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
}

}  // namespace cvm::quant::detail
