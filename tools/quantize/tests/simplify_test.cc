// BatchNormalization folding, pass-through removal and Gemm/MatMul
// canonicalization (tools/quantize/simplify.h), checked against the float
// executor on the unsimplified meaning.
#include "tools/quantize/simplify.h"

#include <gtest/gtest.h>

#include <cmath>

#include "cvm/errors.h"
#include "onnx_builder.h"
#include "tools/quantize/float_exec.h"
#include "tools/quantize/onnx_import.h"

namespace cvm::quant {
namespace {

using test::OnnxBuilder;

TEST(quantize_simplify, batch_norm_folds_into_weight_and_bias) {
  // Two output channels, one weight each: y = w*x + b, then BN.
  FTensor w{{2, 1, 1, 1}, {2.0f, -1.0f}};
  std::vector<float> bias = {1.0f, 0.5f};
  fold_batch_norm(w, bias, /*scale=*/{3.0f, 0.5f}, /*shift=*/{0.25f, -1.0f}, /*mean=*/{1.0f, 2.0f},
                  /*var=*/{4.0f, 0.25f}, /*epsilon=*/0.0f);
  // Channel 0: k = 3 / sqrt(4) = 1.5: w = 3, b = (1 - 1) * 1.5 + 0.25 = 0.25.
  // Channel 1: k = 0.5 / sqrt(0.25) = 1: w = -1, b = (0.5 - 2) * 1 - 1 = -2.5.
  EXPECT_FLOAT_EQ(w.data[0], 3.0f);
  EXPECT_FLOAT_EQ(w.data[1], -1.0f);
  EXPECT_FLOAT_EQ(bias[0], 0.25f);
  EXPECT_FLOAT_EQ(bias[1], -2.5f);
}

TEST(quantize_simplify, batch_norm_without_conv_bias_gets_one) {
  FTensor w{{1, 1, 1, 1}, {1.0f}};
  std::vector<float> bias;
  fold_batch_norm(w, bias, {2.0f}, {1.0f}, {0.5f}, {1.0f}, 0.0f);
  ASSERT_EQ(bias.size(), 1u);
  EXPECT_FLOAT_EQ(w.data[0], 2.0f);
  EXPECT_FLOAT_EQ(bias[0], 0.0f);  // (0 - 0.5) * 2 + 1
}

// Conv -> BatchNormalization -> Identity -> Dropout -> Relu -> Flatten ->
// MatMul -> Add(bias): after simplify only Conv, Relu, Flatten, Dense remain,
// and a hand evaluation of the original float model agrees.
TEST(quantize_simplify, the_canonical_graph_computes_the_same_function) {
  OnnxBuilder b({1, 1, 2, 2}, {1, 2});
  b.constant("w", {2, 1, 1, 1}, {1.0f, -2.0f});
  b.constant("s", {2}, {2.0f, 1.0f});
  b.constant("t", {2}, {0.0f, 1.0f});
  b.constant("m", {2}, {1.0f, 0.0f});
  b.constant("v", {2}, {1.0f, 4.0f});
  b.constant("mm", {8, 2}, {1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1});
  b.constant("mb", {2}, {0.5f, -0.5f});
  b.node("Conv", "conv", {"x", "w"}, "c");
  b.node("BatchNormalization", "bn", {"c", "s", "t", "m", "v"}, "n");
  b.node("Identity", "id", {"n"}, "i");
  b.node("Dropout", "drop", {"i"}, "d");
  b.node("Relu", "relu", {"d"}, "r");
  b.node("Flatten", "flat", {"r"}, "f");
  b.node("MatMul", "mm", {"f", "mm"}, "p");
  b.node("Add", "bias", {"p", "mb"}, "y");
  FloatGraph g = import_onnx(b.bytes());
  EXPECT_EQ(simplify(g), 1);
  std::vector<std::string> ops;
  for (const FNode& n : g.nodes) ops.push_back(n.op);
  EXPECT_EQ(ops, (std::vector<std::string>{"Conv", "Relu", "Flatten", "Dense"}));
  EXPECT_EQ(g.outputs, std::vector<std::string>{g.nodes.back().output});

  const FTensor x{{1, 1, 2, 2}, {1.0f, 2.0f, -1.0f, 0.5f}};
  const FTensor y = run_float(g, x);
  // By hand (eps 1e-5 ignored at this tolerance): channel 0 = relu((x - 1) * 2),
  // channel 1 = relu((-2x) / 2 + 1) = relu(1 - x). Flattened f = [c0 (4), c1 (4)];
  // the MatMul sums even positions into y0 and odd ones into y1.
  std::vector<float> c0, c1;
  for (float v : x.data) {
    c0.push_back(std::max(0.0f, (v - 1.0f) * 2.0f));
    c1.push_back(std::max(0.0f, 1.0f - v));
  }
  const float y0 = c0[0] + c0[2] + c1[0] + c1[2] + 0.5f;
  const float y1 = c0[1] + c0[3] + c1[1] + c1[3] - 0.5f;
  ASSERT_EQ(y.shape, (Shape{1, 2}));
  EXPECT_NEAR(y.data[0], y0, 1e-4);
  EXPECT_NEAR(y.data[1], y1, 1e-4);
}

// Not after a Conv: the per-channel affine y = x * a + b with
// a = scale / sqrt(var + eps), b = B - mean * a.
TEST(quantize_simplify, batch_norm_after_a_relu_becomes_a_channel_affine) {
  OnnxBuilder b({1, 2, 1, 1}, {1, 2, 1, 1});
  b.constant("s", {2}, {3.0f, 1.0f});
  b.constant("t", {2}, {1.0f, -1.0f});
  b.constant("m", {2}, {0.5f, 0.0f});
  b.constant("v", {2}, {4.0f, 0.25f});
  b.node("Relu", "r", {"x"}, "r");
  OnnxBuilder::real(b.node("BatchNormalization", "the_bn", {"r", "s", "t", "m", "v"}, "y"), "epsilon", 0.0f);
  FloatGraph g = import_onnx(b.bytes());
  EXPECT_EQ(simplify(g), 0);  // nothing folded
  ASSERT_EQ(g.nodes.size(), 2u);
  const FNode& affine = g.nodes[1];
  EXPECT_EQ(affine.op, "ChannelAffine");
  EXPECT_EQ(affine.name, "the_bn");
  // a = (3 / 2, 1 / 0.5) = (1.5, 2); b = (1 - 0.5 * 1.5, -1 - 0) = (0.25, -1).
  EXPECT_EQ(g.constants.at(affine.inputs.at(1)).data, (std::vector<float>{1.5f, 2.0f}));
  EXPECT_EQ(g.constants.at(affine.inputs.at(2)).data, (std::vector<float>{0.25f, -1.0f}));
}

TEST(quantize_simplify, batch_norm_with_a_computed_mean_is_rejected_naming_the_node) {
  OnnxBuilder b({1, 2, 1, 1}, {1, 2, 1, 1});
  for (const char* n : {"s", "t", "v"}) b.constant(n, {2}, {1.0f, 1.0f});
  b.node("Relu", "r", {"x"}, "r");
  b.node("BatchNormalization", "the_bn", {"r", "s", "t", "r", "v"}, "y");
  FloatGraph g = import_onnx(b.bytes());
  try {
    simplify(g);
    FAIL() << "accepted";
  } catch (const LogicError& e) {
    EXPECT_NE(std::string(e.what()).find("the_bn"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cvm::quant
