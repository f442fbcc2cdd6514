#include "tools/quantize/simplify.h"

#include <cmath>
#include <limits>
#include <map>

#include "cvm/errors.h"
#include "tools/quantize/fold_shapes.h"
#include "tools/quantize/simplify_util.h"

namespace cvm::quant {
namespace {

using detail::constant;
using detail::fail;
using detail::fresh_constant;
using detail::rename_uses;
using detail::use_counts;
using detail::vector_of;

void remove_passthrough(FloatGraph& g) {
  std::vector<FNode> kept;
  for (FNode& n : g.nodes) {
    if (n.op == "Identity" || n.op == "Dropout") {
      if (n.inputs.empty() || n.inputs[0].empty()) fail(n, "has no input");
      if (n.op == "Dropout" && n.inputs.size() > 2 && !n.inputs[2].empty()) {
        // training_mode input: only a constant false keeps Dropout an identity.
        const FTensor& t = constant(g, n, 2, "training_mode");
        if (t.data.size() != 1 || t.data[0] != 0.0f) fail(n, "training_mode must be false");
      }
      const std::string from = n.output;
      const std::string to = n.inputs[0];
      rename_uses(g, from, to);
      continue;
    }
    kept.push_back(std::move(n));
  }
  g.nodes = std::move(kept);
}

// " (after folding p's pads into it)" when Pad p was folded into n's pads
// (fold_pad.cc), for the errors about n's pads.
std::string folded_note(FNode& n) {
  if (!n.has("folded_pad")) return "";
  const std::string note = " (after folding " + n.attrs.at("folded_pad").s + "'s pads into it)";
  n.attrs.erase("folded_pad");
  return note;
}

void canonical_conv(FloatGraph& g, FNode& n) {
  const std::string note = folded_note(n);
  const FTensor& w = constant(g, n, 1, "the weight W");
  if (w.shape.size() != 4) fail(n, "only 2-D convolution (a rank-4 weight) is supported");
  const std::string pad_mode = n.has("auto_pad") ? n.attrs.at("auto_pad").s : "NOTSET";
  if (pad_mode != "NOTSET" && pad_mode != "VALID")
    fail(n, "auto_pad '" + pad_mode + "' is not supported; export explicit pads");
  const std::vector<int64_t> pads = n.ints_attr("pads", {0, 0, 0, 0});
  if (pads.size() != 4 || pads[0] != pads[2] || pads[1] != pads[3])
    fail(n, "pads must be symmetric [t, l, t, l] (CVM conv2d pads both sides alike)" + note);
  const std::vector<int64_t> kernel = n.ints_attr("kernel_shape", {w.shape[2], w.shape[3]});
  if (kernel != std::vector<int64_t>{w.shape[2], w.shape[3]}) fail(n, "kernel_shape differs from the weight's shape");
  const std::vector<int64_t> strides = n.ints_attr("strides", {1, 1});
  const std::vector<int64_t> dilations = n.ints_attr("dilations", {1, 1});
  if (strides.size() != 2 || dilations.size() != 2) fail(n, "strides and dilations need 2 entries");
  if (n.inputs.size() > 2 && !n.inputs[2].empty()) vector_of(g, n, 2, w.shape[0], "the bias B");
  n.attrs["pads"].ints = {pads[0], pads[1]};
  n.attrs["strides"].ints = strides;
  n.attrs["dilations"].ints = dilations;
  n.attrs["group"].i = n.int_attr("group", 1);
  n.attrs.erase("auto_pad");
  n.attrs.erase("kernel_shape");
  if (n.inputs.size() < 3) n.inputs.resize(3);
}

// Gemm: Y = alpha * A * op(B) + beta * C, with C broadcast over rows.
void canonical_gemm(FloatGraph& g, FNode& n) {
  if (n.int_attr("transA", 0) != 0) fail(n, "transA = 1 is not supported");
  const FTensor& b = constant(g, n, 1, "B");
  if (b.shape.size() != 2) fail(n, "B must be a matrix");
  const bool trans_b = n.int_attr("transB", 0) != 0;
  const int64_t k = trans_b ? b.shape[1] : b.shape[0];
  const int64_t m = trans_b ? b.shape[0] : b.shape[1];
  const float alpha = n.float_attr("alpha", 1.0f);
  const float beta = n.float_attr("beta", 1.0f);
  FTensor w{{m, k}, std::vector<float>(static_cast<size_t>(m * k))};
  for (int64_t r = 0; r < m; ++r)
    for (int64_t c = 0; c < k; ++c)
      w.data[static_cast<size_t>(r * k + c)] =
          alpha * b.data[static_cast<size_t>(trans_b ? r * k + c : c * m + r)];
  std::string bias;
  if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
    const FTensor& c = constant(g, n, 2, "C");
    if (element_count(c.shape) != m) fail(n, "C must hold one value per output column (shape (M) or (1, M))");
    FTensor bt{{m}, c.data};
    for (float& v : bt.data) v *= beta;
    bias = fresh_constant(g, n.name + ".bias", std::move(bt));
  }
  n.op = "Dense";
  n.inputs = {n.inputs[0], fresh_constant(g, n.name + ".weight", std::move(w)), bias};
  n.attrs.clear();
}

// MatMul(X, B) with a constant B (K, M), optionally followed by Add with a
// constant (M) / (1, M) that only it feeds: one Dense.
void canonical_matmul(FloatGraph& g, size_t index, std::vector<bool>& drop) {
  FNode& n = g.nodes[index];
  const FTensor& b = constant(g, n, 1, "the second MatMul input");
  if (b.shape.size() != 2) fail(n, "the constant MatMul operand must be a matrix");
  const int64_t k = b.shape[0], m = b.shape[1];
  FTensor w{{m, k}, std::vector<float>(static_cast<size_t>(m * k))};
  for (int64_t r = 0; r < m; ++r)
    for (int64_t c = 0; c < k; ++c) w.data[static_cast<size_t>(r * k + c)] = b.data[static_cast<size_t>(c * m + r)];
  std::string bias;
  const std::map<std::string, int> uses = use_counts(g);
  for (size_t j = index + 1; j < g.nodes.size() && uses.at(n.output) == 1; ++j) {
    FNode& add = g.nodes[j];
    if (add.op != "Add" || add.inputs.size() != 2) continue;
    const int mine = add.inputs[0] == n.output ? 0 : add.inputs[1] == n.output ? 1 : -1;
    if (mine < 0 || !g.is_constant(add.inputs[static_cast<size_t>(1 - mine)])) continue;
    const FTensor& c = g.constants.at(add.inputs[static_cast<size_t>(1 - mine)]);
    if (element_count(c.shape) != m) continue;
    bias = fresh_constant(g, n.name + ".bias", FTensor{{m}, c.data});
    rename_uses(g, add.output, n.output);
    drop[j] = true;
    break;
  }
  n.op = "Dense";
  n.inputs = {n.inputs[0], fresh_constant(g, n.name + ".weight", std::move(w)), bias};
  n.attrs.clear();
}

void canonical_pool(FloatGraph& g, FNode& n) {
  (void)g;
  const std::string note = folded_note(n);
  const std::string pad_mode = n.has("auto_pad") ? n.attrs.at("auto_pad").s : "NOTSET";
  if (pad_mode != "NOTSET" && pad_mode != "VALID") fail(n, "auto_pad '" + pad_mode + "' is not supported");
  const std::vector<int64_t> kernel = n.ints_attr("kernel_shape", {});
  if (kernel.size() != 2) fail(n, "kernel_shape must have 2 entries");
  const std::vector<int64_t> pads = n.ints_attr("pads", {0, 0, 0, 0});
  if (pads.size() != 4 || pads[0] != pads[2] || pads[1] != pads[3]) fail(n, "pads must be symmetric" + note);
  if (n.int_attr("storage_order", 0) != 0) fail(n, "storage_order 1 is not supported");
  for (int64_t d : n.ints_attr("dilations", {1, 1}))
    if (d != 1) fail(n, "dilations other than 1 are not supported");
  // With count_include_pad 1 the divisor is k_h * k_w everywhere (a padded
  // window sum over a constant); with 0 it is the number of cells inside x.
  if (n.op == "AveragePool" && (pads[0] != 0 || pads[1] != 0) && n.int_attr("count_include_pad", 0) == 0)
    fail(n, "padding with count_include_pad 0 is not supported: the divisor would vary by position "
            "(export with count_include_pad 1)");
  n.attrs["pads"].ints = {pads[0], pads[1]};
  n.attrs["strides"].ints = n.ints_attr("strides", {1, 1});
  n.attrs["ceil_mode"].i = n.int_attr("ceil_mode", 0);
  n.attrs.erase("auto_pad");
  n.attrs.erase("dilations");
  n.attrs.erase("storage_order");
  n.attrs.erase("count_include_pad");
}

void canonical_clip(FloatGraph& g, FNode& n) {
  float lo = n.float_attr("min", -std::numeric_limits<float>::max());
  float hi = n.float_attr("max", std::numeric_limits<float>::max());
  if (n.inputs.size() > 1 && !n.inputs[1].empty()) lo = vector_of(g, n, 1, 1, "min")[0];
  if (n.inputs.size() > 2 && !n.inputs[2].empty()) hi = vector_of(g, n, 2, 1, "max")[0];
  if (!(lo <= hi)) fail(n, "min exceeds max");
  n.inputs.resize(1);
  n.attrs.clear();
  n.attrs["min"].f = lo;
  n.attrs["max"].f = hi;
}

}  // namespace

void fold_batch_norm(FTensor& weight, std::vector<float>& bias, const std::vector<float>& scale,
                     const std::vector<float>& shift, const std::vector<float>& mean,
                     const std::vector<float>& var, float epsilon) {
  const auto channels = static_cast<size_t>(weight.shape.at(0));
  const size_t per = weight.data.size() / channels;
  if (bias.empty()) bias.assign(channels, 0.0f);
  for (size_t o = 0; o < channels; ++o) {
    // In double, so that the folded model is as close to the float one as
    // float storage allows.
    const double k = static_cast<double>(scale[o]) / std::sqrt(static_cast<double>(var[o]) + epsilon);
    for (size_t i = 0; i < per; ++i) weight.data[o * per + i] = static_cast<float>(weight.data[o * per + i] * k);
    bias[o] = static_cast<float>((static_cast<double>(bias[o]) - mean[o]) * k + shift[o]);
  }
}

namespace {

// HardSigmoid y = clip(alpha * x + beta, 0, 1), ONNX defaults 0.2 and 0.5.
void canonical_hard_sigmoid(FNode& n) {
  const float alpha = n.float_attr("alpha", 0.2f), beta = n.float_attr("beta", 0.5f);
  if (!(alpha > 0.0f) || !std::isfinite(alpha) || !std::isfinite(beta)) fail(n, "alpha must be > 0 and both finite");
  n.attrs["alpha"].f = alpha;
  n.attrs["beta"].f = beta;
}

// A BatchNormalization that cannot be folded (its input is not a Conv with
// no other reader): the per-channel affine y = x * a_c + b_c.
void to_channel_affine(FloatGraph& g, FNode& bn) {
  const FTensor& scale = constant(g, bn, 1, "scale");
  const auto c = static_cast<int64_t>(scale.data.size());
  const std::vector<float> shift = vector_of(g, bn, 2, c, "B"), mean = vector_of(g, bn, 3, c, "mean"),
                           var = vector_of(g, bn, 4, c, "var");
  const double eps = bn.float_attr("epsilon", 1e-5f);
  FTensor a{{c}, std::vector<float>(static_cast<size_t>(c))}, b = a;
  for (size_t i = 0; i < static_cast<size_t>(c); ++i) {
    if (!(static_cast<double>(var[i]) + eps > 0.0)) fail(bn, "var + epsilon must be > 0");
    const double k = static_cast<double>(scale.data[i]) / std::sqrt(static_cast<double>(var[i]) + eps);
    a.data[i] = static_cast<float>(k);
    b.data[i] = static_cast<float>(static_cast<double>(shift[i]) - mean[i] * k);
  }
  bn.op = "ChannelAffine";
  bn.inputs = {bn.inputs[0], fresh_constant(g, bn.name + ".a", std::move(a)),
               fresh_constant(g, bn.name + ".b", std::move(b))};
  bn.attrs.clear();
}

}  // namespace

int simplify(FloatGraph& g) {
  remove_passthrough(g);
  detail::fold_pads(g);
  detail::expand_ops(g);
  std::vector<bool> drop(g.nodes.size(), false);
  detail::ShapeFolder shapes(g);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    FNode& n = g.nodes[i];
    if (drop[i]) continue;
    if (shapes.fold(n)) {
      drop[i] = true;
      continue;
    }
    if (n.op == "Conv") canonical_conv(g, n);
    else if (n.op == "Gemm") canonical_gemm(g, n);
    else if (n.op == "MatMul") canonical_matmul(g, i, drop);
    else if (n.op == "MaxPool" || n.op == "AveragePool") canonical_pool(g, n);
    else if (n.op == "Clip") canonical_clip(g, n);
    else if (n.op == "HardSigmoid") canonical_hard_sigmoid(n);
    else if (n.op == "Resize" || n.op == "Upsample") detail::canonical_resize(g, n, n.inputs.empty() ? nullptr : shapes.find(n.inputs[0]));
    else if (n.op == "LeakyRelu") detail::canonical_leaky_relu(n);
    else if (n.op == "Softmax") detail::canonical_softmax(g, n, n.inputs.empty() ? nullptr : shapes.find(n.inputs[0]));
    else if (n.op == "Reshape") {
      n.attrs["shape"].ints.clear();
      for (float v : constant(g, n, 1, "the shape").data) n.attrs["shape"].ints.push_back(detail::int_value(v));
      n.inputs.resize(1);
    }
    shapes.record(n);
  }
  // BatchNormalization folds into the Conv that alone feeds it.
  int folded = 0;
  const std::map<std::string, int> uses = use_counts(g);
  std::map<std::string, size_t> producer;
  for (size_t i = 0; i < g.nodes.size(); ++i) producer[g.nodes[i].output] = i;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    FNode& bn = g.nodes[i];
    if (drop[i] || bn.op != "BatchNormalization") continue;
    if (bn.int_attr("training_mode", 0) != 0) fail(bn, "training_mode must be 0");
    if (bn.inputs.size() != 5) fail(bn, "needs 5 inputs (X, scale, B, mean, var)");
    const auto p = producer.find(bn.inputs.at(0));
    if (p == producer.end() || g.nodes[p->second].op != "Conv" || uses.at(bn.inputs[0]) != 1) {
      to_channel_affine(g, bn);  // not after a Conv it alone reads: no fold
      continue;
    }
    FNode& conv = g.nodes[p->second];
    FTensor w = g.constants.at(conv.inputs[1]);
    const int64_t o = w.shape[0];
    std::vector<float> bias;
    if (!conv.inputs[2].empty()) bias = g.constants.at(conv.inputs[2]).data;
    fold_batch_norm(w, bias, vector_of(g, bn, 1, o, "scale"), vector_of(g, bn, 2, o, "B"),
                    vector_of(g, bn, 3, o, "mean"), vector_of(g, bn, 4, o, "var"), bn.float_attr("epsilon", 1e-5f));
    conv.inputs[1] = fresh_constant(g, conv.name + ".weight_bn", std::move(w));
    conv.inputs[2] = fresh_constant(g, conv.name + ".bias_bn", FTensor{{o}, std::move(bias)});
    rename_uses(g, bn.output, conv.output);
    drop[i] = true;
    ++folded;
  }
  std::vector<FNode> kept;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
  for (const FNode& n : g.nodes)
    if (n.op == "Add")
      for (const std::string& in : n.inputs)
        if (g.is_constant(in)) fail(n, "an Add with a constant input is supported only as a MatMul bias");
  for (const FNode& n : g.nodes)
    if (n.op == "Mul")
      for (const std::string& in : n.inputs)
        if (g.is_constant(in))
          fail(n, "a Mul with a constant input is not supported (only a product of two computed tensors)");
  return folded;
}

}  // namespace cvm::quant
