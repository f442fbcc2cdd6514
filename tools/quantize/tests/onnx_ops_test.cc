// The ONNX ops added for DenseNet / Inception / ShuffleNet / MobileNetV3 /
// 1-D nets: for
// each, (a) a tiny model that quantizes, is certified, and whose integer
// output, dequantized, stays close to the float executor's; (b) the float
// executor's value checked against a hand computation; (c) the rejected
// cases, whose error names the node.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "cvm/backend.h"
#include "cvm/certify.h"
#include "cvm/errors.h"
#include "cvm/graph.h"
#include "cvm/model.h"
#include "cvm/params.h"
#include "cvm/runtime.h"
#include "onnx_builder.h"
#include "tools/quantize/calibrate.h"
#include "tools/quantize/check_graph.h"
#include "tools/quantize/float_exec.h"
#include "tools/quantize/lower.h"
#include "tools/quantize/onnx_import.h"
#include "tools/quantize/quantize.h"
#include "tools/quantize/simplify.h"

namespace cvm::quant {
namespace {

using test::OnnxBuilder;
using test::simplified;

// `samples` inputs of `shape` (batch 1 each) with values in [-1, 1] from a
// fixed formula, so that every test sees the same data.
FTensor samples(const Shape& shape, int64_t count) {
  Shape s = shape;
  s[0] = count;
  FTensor t{s, std::vector<float>(static_cast<size_t>(element_count(s)))};
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<float>(std::sin(0.7 * static_cast<double>(i) + 0.3));
  return t;
}

// The float executor's output for one input given by value.
std::vector<float> float_output(const std::string& onnx, const Shape& shape, const std::vector<float>& x) {
  return run_float(simplified(onnx), FTensor{shape, x}).data;
}

// Quantizes `onnx` (calibrated on `calib`), requires the model certified, and
// compares every calibration sample: |integer output / S_out - float output|
// <= tol * max |float output|.
//
// Why tol = 3%: the input is rounded at 8 bits (error <= 0.5 / 127 of its
// range, 0.4%) and each narrowing to 8 bits adds at most another 0.4% of
// that tensor's range; these models have at most three roundings in a row
// with gains near 1, and a product (Mul) adds the relative errors of its two
// factors, so the sum stays below ~2%. A wrong scale, channel, padding or
// divisor is off by 10% or more (the tests' values are chosen so), so 3%
// separates the two.
void expect_close_to_float(const std::string& onnx, const FTensor& calib, double tol = 0.03) {
  const FloatGraph g = simplified(onnx);
  const Ranges r = calibrate(g, calib, RangeMethod::kMaxAbs, 100);
  const QuantizedModel q = lower(g, r, {});
  const std::shared_ptr<const Model> model = Model::load(write_graph_json(q.graph), write_params(q.params));
  EXPECT_TRUE(certify(*model).certified);
  Runtime rt(model, reference_backend());
  const TensorType t = model->input_type();
  double worst = 0, largest = 0;
  for (int64_t i = 0; i < calib.shape[0]; ++i) {
    const FTensor x = slice_samples(calib, i, 1);
    const FTensor want = run_float(g, x);
    const std::vector<int32_t> got =
        rt.run(Tensor{t.shape, t.precision, quantize_input(x, q.input_scale, q.input_precision)}).at(0).data;
    ASSERT_EQ(got.size(), want.data.size());
    for (size_t j = 0; j < got.size(); ++j) {
      worst = std::max(worst, std::fabs(got[j] / q.output_scale - want.data[j]));
      largest = std::max(largest, std::fabs(static_cast<double>(want.data[j])));
    }
  }
  EXPECT_GT(largest, 0.0);
  EXPECT_LE(worst, tol * largest) << "largest float output " << largest;
}

// The error names `needle` (the node) and is raised by import, simplify or
// the structural checks, i.e. before any calibration.
void expect_rejected(const std::string& onnx, const std::string& needle, const std::string& why) {
  try {
    simplified(onnx);
    FAIL() << "accepted; expected an error naming " << needle;
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), "quantize");
    const std::string m = e.what();
    EXPECT_NE(m.find("'" + needle + "'"), std::string::npos) << m;
    EXPECT_NE(m.find(why), std::string::npos) << m;
  }
}

std::vector<float> x_1_to_4() { return {1, 2, 3, 4}; }

void expect_floats(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6) << "at " << i;
}

// ---- Pad ------------------------------------------------------------------

// Pad 1 on H and W (pads as an INT64 input, opset 13), then a 3x3 all-one Conv.
std::string pad_conv_model() {
  OnnxBuilder b({1, 1, 3, 3}, {1, 1, 3, 3});
  b.int_constant("pads", {0, 0, 1, 1, 0, 0, 1, 1});
  b.constant("W", {1, 1, 3, 3}, std::vector<float>(9, 1.0f));
  b.node("Pad", "pad", {"x", "pads"}, "p");
  b.node("Conv", "conv", {"p", "W"}, "y");
  return b.bytes();
}

TEST(quantize_onnx_ops, pad_folds_into_the_conv_padding) {
  const FloatGraph g = simplified(pad_conv_model());
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.nodes[0].op, "Conv");
  EXPECT_EQ(g.nodes[0].ints_attr("pads", {}), (std::vector<int64_t>{1, 1}));
  // All-one 3x3 input, zero padded: a 3x3 window covers 4 cells at a
  // corner, 6 on an edge, 9 in the middle.
  expect_floats(run_float(g, FTensor{{1, 1, 3, 3}, std::vector<float>(9, 1.0f)}).data, {4, 6, 4, 6, 9, 6, 4, 6, 4});
  expect_close_to_float(pad_conv_model(), samples({1, 1, 3, 3}, 6));
}

// Inception's pattern: a zero Pad then an unpadded AveragePool.
std::string pad_average_model() {
  OnnxBuilder b({1, 1, 2, 2}, {1, 1, 2, 2});
  b.int_constant("pads", {0, 0, 1, 1, 0, 0, 1, 1});
  b.node("Pad", "pad", {"x", "pads"}, "p");
  OnnxBuilder::ints(b.node("AveragePool", "avg", {"p"}, "y"), "kernel_shape", {3, 3});
  return b.bytes();
}

TEST(quantize_onnx_ops, pad_folds_into_average_pool_counting_the_pad) {
  // Every 3x3 window of the padded 4x4 covers the whole 2x2 input: 10 / 9,
  // the pad zeros counted in the divisor.
  const float v = 10.0f / 9.0f;
  expect_floats(float_output(pad_average_model(), {1, 1, 2, 2}, x_1_to_4()), {v, v, v, v});
  expect_close_to_float(pad_average_model(), samples({1, 1, 2, 2}, 6));
}

// DenseNet's stem: Relu, then a zero Pad folded into a MaxPool (exact because
// the Relu output is >= 0, so a pad cell never beats a real one).
std::string relu_pad_max_model(bool relu) {
  OnnxBuilder b({1, 1, 4, 4}, {1, 1, 2, 2});
  b.int_constant("pads", {0, 0, 1, 1, 0, 0, 1, 1});
  b.node(relu ? "Relu" : "Identity", "act", {"x"}, "r");
  b.node("Pad", "pad", {"r", "pads"}, "p");
  auto& m = b.node("MaxPool", "pool", {"p"}, "y");
  OnnxBuilder::ints(m, "kernel_shape", {3, 3});
  OnnxBuilder::ints(m, "strides", {2, 2});
  return b.bytes();
}

TEST(quantize_onnx_ops, pad_folds_into_max_pool_after_relu) {
  // x = -8..7 row-major, Relu: rows (0 0 0 0) (0 0 0 0) (0 1 2 3) (4 5 6 7);
  // padded 6x6, 3x3 windows at rows/cols {0,2}: inputs rows/cols [-1, 1] and [1, 3].
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i) x[static_cast<size_t>(i)] = static_cast<float>(i - 8);
  expect_floats(float_output(relu_pad_max_model(true), {1, 1, 4, 4}, x), {0, 0, 5, 7});
  expect_close_to_float(relu_pad_max_model(true), samples({1, 1, 4, 4}, 6));
}

TEST(quantize_onnx_ops, pad_into_max_pool_of_a_signed_tensor_is_rejected) {
  expect_rejected(relu_pad_max_model(false), "pad", "not known to be");
}

TEST(quantize_onnx_ops, reflect_pad_is_rejected) {
  OnnxBuilder b({1, 1, 3, 3}, {1, 1, 5, 5});
  b.int_constant("pads", {0, 0, 1, 1, 0, 0, 1, 1});
  OnnxBuilder::text(b.node("Pad", "mirror", {"x", "pads"}, "y"), "mode", "reflect");
  expect_rejected(b.bytes(), "mirror", "mode 'reflect'");
}

TEST(quantize_onnx_ops, pad_without_a_conv_or_pool_reader_is_rejected) {
  OnnxBuilder b({1, 1, 3, 3}, {1, 1, 5, 5});
  b.int_constant("pads", {0, 0, 1, 1, 0, 0, 1, 1});
  b.node("Pad", "lonely", {"x", "pads"}, "p");
  b.node("Relu", "r", {"p"}, "y");
  expect_rejected(b.bytes(), "lonely", "no standalone pad");
}

TEST(quantize_onnx_ops, pad_making_conv_padding_asymmetric_names_both) {
  OnnxBuilder b({1, 1, 3, 3}, {1, 1, 4, 4});
  b.int_constant("pads", {0, 0, 1, 1, 0, 0, 0, 0});
  b.constant("W", {1, 1, 2, 2}, {1, 1, 1, 1});
  b.node("Pad", "top_left", {"x", "pads"}, "p");
  b.node("Conv", "conv", {"p", "W"}, "y");  // pads (1, 1) before, (0, 0) after
  expect_rejected(b.bytes(), "conv", "after folding top_left");
}

// ---- AveragePool with padding, ceil_mode -----------------------------------

std::string padded_average_model(int64_t count_include_pad) {
  OnnxBuilder b({1, 1, 2, 2}, {1, 1, 3, 3});
  auto& n = b.node("AveragePool", "avg", {"x"}, "y");
  OnnxBuilder::ints(n, "kernel_shape", {2, 2});
  OnnxBuilder::ints(n, "strides", {1, 1});
  OnnxBuilder::ints(n, "pads", {1, 1, 1, 1});
  OnnxBuilder::integer(n, "count_include_pad", count_include_pad);
  return b.bytes();
}

TEST(quantize_onnx_ops, average_pool_with_padding_divides_by_the_whole_window) {
  // x = (1 2; 3 4) padded by one zero ring; every 2x2 window sum over 4.
  expect_floats(float_output(padded_average_model(1), {1, 1, 2, 2}, x_1_to_4()),
                {0.25f, 0.75f, 0.5f, 1.0f, 2.5f, 1.5f, 0.75f, 1.75f, 1.0f});
  expect_close_to_float(padded_average_model(1), samples({1, 1, 2, 2}, 6));
}

TEST(quantize_onnx_ops, average_pool_excluding_padding_is_rejected) {
  expect_rejected(padded_average_model(0), "avg", "count_include_pad 0");
}

std::string ceil_average_model(int64_t size) {
  OnnxBuilder b({1, 1, size, size}, {1, 1, 2, 2});
  auto& n = b.node("AveragePool", "avg", {"x"}, "y");
  OnnxBuilder::ints(n, "kernel_shape", {2, 2});
  OnnxBuilder::ints(n, "strides", {2, 2});
  OnnxBuilder::integer(n, "ceil_mode", 1);
  return b.bytes();
}

TEST(quantize_onnx_ops, average_pool_ceil_mode_is_accepted_where_it_adds_no_window) {
  // 4x4, k = s = 2: ceil and floor both give 2x2 windows.
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i) x[static_cast<size_t>(i)] = static_cast<float>(i);
  // Window means: (0+1+4+5)/4, (2+3+6+7)/4, (8+9+12+13)/4, (10+11+14+15)/4.
  expect_floats(float_output(ceil_average_model(4), {1, 1, 4, 4}, x), {2.5f, 4.5f, 10.5f, 12.5f});
  expect_close_to_float(ceil_average_model(4), samples({1, 1, 4, 4}, 4));
}

TEST(quantize_onnx_ops, average_pool_ceil_mode_with_a_partial_window_is_rejected) {
  expect_rejected(ceil_average_model(5), "avg", "partial last window");
}

// H = 3, k = s = 2, pad 1, ceil: 3 windows, the last starting at row
// 2*2 - 1 = 3 = H, all padding: max_pool2d_c8.
std::string ceil_max_pool_model() {
  OnnxBuilder b({1, 1, 3, 3}, {1, 1, 3, 3});
  auto& n = b.node("MaxPool", "stem_pool", {"x"}, "y");
  OnnxBuilder::ints(n, "kernel_shape", {2, 2});
  OnnxBuilder::ints(n, "strides", {2, 2});
  OnnxBuilder::ints(n, "pads", {1, 1, 1, 1});
  OnnxBuilder::integer(n, "ceil_mode", 1);
  return b.bytes();
}

TEST(quantize_onnx_ops, max_pool_ceil_window_in_the_padding_is_rejected_naming_the_node) {
  expect_rejected(ceil_max_pool_model(), "stem_pool", "max_pool2d_c8");
}

TEST(quantize_onnx_ops, the_whole_pipeline_rejects_it_before_reading_the_calibration_set) {
  // The calibration file does not exist: an error naming the node (not an
  // I/O error) shows the structural check ran before calibration.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("cvm_onnx_ops_test_ceil_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string onnx = (dir / "model.onnx").string();
  {
    std::ofstream f(onnx, std::ios::binary);
    f << ceil_max_pool_model();
  }
  QuantizeJob job;
  job.onnx_path = onnx;
  job.calibration_path = (dir / "missing.npy").string();
  job.output_dir = (dir / "out").string();
  try {
    quantize(job, [](const std::string&) {});
    FAIL() << "accepted";
  } catch (const LogicError& e) {
    EXPECT_NE(std::string(e.what()).find("'stem_pool'"), std::string::npos) << e.what();
  } catch (const std::exception& e) {
    FAIL() << "not the structural check: " << e.what();
  }
  std::filesystem::remove_all(dir);
}

// ---- BatchNormalization not after a Conv -------------------------------------

void batch_norm_constants(OnnxBuilder& b) {
  b.constant("scale", {2}, {3.0f, 0.5f});
  b.constant("B", {2}, {0.25f, -1.0f});
  b.constant("mean", {2}, {1.0f, 2.0f});
  b.constant("var", {2}, {4.0f, 0.25f});
}

TEST(quantize_onnx_ops, batch_norm_on_the_input_is_a_channel_affine) {
  OnnxBuilder b({1, 2, 1, 2}, {1, 2, 1, 2});
  batch_norm_constants(b);
  OnnxBuilder::real(b.node("BatchNormalization", "bn", {"x", "scale", "B", "mean", "var"}, "y"), "epsilon", 0.0f);
  // Channel 0: (x - 1) * 3 / 2 + 0.25; channel 1: (x - 2) * 0.5 / 0.5 - 1.
  expect_floats(float_output(b.bytes(), {1, 2, 1, 2}, {1, 3, -1, 4}), {0.25f, 3.25f, -4.0f, 1.0f});
  EXPECT_EQ(simplified(b.bytes()).nodes.at(0).op, "ChannelAffine");
}

// DenseNet's pattern: two branches concatenated, then BatchNormalization.
TEST(quantize_onnx_ops, batch_norm_after_concat_quantizes) {
  OnnxBuilder b({1, 1, 2, 2}, {1, 2, 2, 2});
  batch_norm_constants(b);
  b.constant("W1", {1, 1, 1, 1}, {1.0f});
  b.constant("W2", {1, 1, 1, 1}, {-0.5f});
  b.node("Conv", "c1", {"x", "W1"}, "a");
  b.node("Conv", "c2", {"x", "W2"}, "c");
  OnnxBuilder::integer(b.node("Concat", "cat", {"a", "c"}, "cc"), "axis", 1);
  b.node("BatchNormalization", "bn", {"cc", "scale", "B", "mean", "var"}, "y");
  expect_close_to_float(b.bytes(), samples({1, 1, 2, 2}, 6));
}

// ---- Mul, HardSigmoid, HardSwish -------------------------------------------

// Squeeze-excitation: x times its per-channel mean, broadcast over H, W.
std::string squeeze_excitation_model() {
  OnnxBuilder b({1, 2, 1, 2}, {1, 2, 1, 2});
  b.node("GlobalAveragePool", "squeeze", {"x"}, "s");
  b.node("Mul", "excite", {"x", "s"}, "y");
  return b.bytes();
}

TEST(quantize_onnx_ops, mul_broadcasts_a_per_channel_gate) {
  // Channel means 2 and -1: (1 3) * 2, (-1 -1) * -1.
  expect_floats(float_output(squeeze_excitation_model(), {1, 2, 1, 2}, {1, 3, -1, -1}), {2, 6, 1, 1});
  expect_close_to_float(squeeze_excitation_model(), samples({1, 2, 1, 2}, 6));
}

TEST(quantize_onnx_ops, mul_by_a_constant_along_the_width_is_a_broadcast_affine) {
  // k (2) broadcasts along W of (1, 2, 1, 2), not along the channels: the
  // Affine of box decoding (detection_test.cc), multipliers shaped (1, 1, 1, 2).
  OnnxBuilder b({1, 2, 1, 2}, {1, 2, 1, 2});
  b.constant("k", {2}, {3.0f, 4.0f});
  b.node("Mul", "times_k", {"x", "k"}, "y");
  EXPECT_EQ(simplified(b.bytes()).nodes.at(0).op, "Affine");
  expect_floats(float_output(b.bytes(), {1, 2, 1, 2}, x_1_to_4()), {3, 8, 9, 16});
  expect_close_to_float(b.bytes(), samples({1, 2, 1, 2}, 4));
}

TEST(quantize_onnx_ops, mul_by_a_constant_that_enlarges_the_input_is_rejected) {
  // k (3, 2) would broadcast (1, 2, 1, 2) to (1, 2, 3, 2).
  OnnxBuilder b({1, 2, 1, 2}, {1, 2, 3, 2});
  b.constant("k", {3, 2}, {1, 2, 3, 4, 5, 6});
  b.node("Mul", "times_k", {"x", "k"}, "y");
  expect_rejected(b.bytes(), "times_k", "constant input");
}

std::string unary_model(const std::string& op) {
  OnnxBuilder b({1, 5}, {1, 5});
  b.node(op, "act", {"x"}, "y");
  return b.bytes();
}

TEST(quantize_onnx_ops, hard_sigmoid_matches_onnx_defaults) {
  // alpha 0.2, beta 0.5: clip(0.2 x + 0.5, 0, 1) at -4, -1, 0, 1, 4.
  expect_floats(float_output(unary_model("HardSigmoid"), {1, 5}, {-4, -1, 0, 1, 4}), {0, 0.3f, 0.5f, 0.7f, 1});
  const FTensor calib{{3, 5}, {-4, -1, 0, 1, 4, -3, -2, 0.5f, 2, 3, -0.25f, 0.75f, 1.5f, -1.5f, 2.5f}};
  expect_close_to_float(unary_model("HardSigmoid"), calib);
}

TEST(quantize_onnx_ops, hard_swish_is_x_times_hard_sigmoid) {
  // x * clip(x / 6 + 1/2, 0, 1) at -4, -1, 0, 1, 4: 0, -1/3, 0, 2/3, 4.
  expect_floats(float_output(unary_model("HardSwish"), {1, 5}, {-4, -1, 0, 1, 4}),
                {0, -1.0f / 3, 0, 2.0f / 3, 4});
  const FTensor calib{{3, 5}, {-4, -1, 0, 1, 4, -3, -2, 0.5f, 2, 3, -0.25f, 0.75f, 1.5f, -1.5f, 2.5f}};
  expect_close_to_float(unary_model("HardSwish"), calib);
}

// ---- ReduceMean ----------------------------------------------------------------

std::string reduce_mean_model(const std::vector<int64_t>& axes, int64_t keepdims) {
  OnnxBuilder b({1, 2, 2, 2}, keepdims ? std::vector<int64_t>{1, 2, 1, 1} : std::vector<int64_t>{1, 2});
  auto& n = b.node("ReduceMean", "mean", {"x"}, "y");
  OnnxBuilder::ints(n, "axes", axes);
  OnnxBuilder::integer(n, "keepdims", keepdims);
  return b.bytes();
}

TEST(quantize_onnx_ops, reduce_mean_over_h_w_is_a_global_average) {
  const std::vector<float> x = {1, 2, 3, 4, -1, -1, 0, 6};
  const FloatGraph g = simplified(reduce_mean_model({2, 3}, 0));
  const FTensor y = run_float(g, FTensor{{1, 2, 2, 2}, x});
  EXPECT_EQ(y.shape, (Shape{1, 2}));
  expect_floats(y.data, {2.5f, 1.0f});
  expect_floats(float_output(reduce_mean_model({-2, -1}, 1), {1, 2, 2, 2}, x), {2.5f, 1.0f});
  expect_close_to_float(reduce_mean_model({2, 3}, 0), samples({1, 2, 2, 2}, 6));
}

TEST(quantize_onnx_ops, reduce_mean_over_channels_is_rejected) {
  expect_rejected(reduce_mean_model({1}, 1), "mean", "every spatial axis");
  expect_rejected(reduce_mean_model({-1}, 1), "mean", "every spatial axis");  // W only
}

// 1-D nets end in AdaptiveAvgPool1d(1) or x.mean(-1): the average over L.
TEST(quantize_onnx_ops, reduce_mean_and_global_average_over_a_1d_axis) {
  OnnxBuilder b({1, 2, 3}, {1, 2});
  auto& n = b.node("ReduceMean", "mean", {"x"}, "y");
  OnnxBuilder::ints(n, "axes", {-1});
  OnnxBuilder::integer(n, "keepdims", 0);
  // (1 2 6) / 3 = 3, (-3 0 0) / 3 = -1.
  const FTensor y = run_float(simplified(b.bytes()), FTensor{{1, 2, 3}, {1, 2, 6, -3, 0, 0}});
  EXPECT_EQ(y.shape, (Shape{1, 2}));
  expect_floats(y.data, {3, -1});
  expect_close_to_float(b.bytes(), samples({1, 2, 3}, 6));
  OnnxBuilder gap({1, 2, 3}, {1, 2, 1});
  gap.node("GlobalAveragePool", "gap", {"x"}, "y");
  const FTensor z = run_float(simplified(gap.bytes()), FTensor{{1, 2, 3}, {1, 2, 6, -3, 0, 0}});
  EXPECT_EQ(z.shape, (Shape{1, 2, 1}));
  expect_floats(z.data, {3, -1});
}

// ---- 1-D convolution and pooling ----------------------------------------------

std::string conv1d_model() {
  OnnxBuilder b({1, 1, 5}, {1, 1, 2});
  b.constant("W", {1, 1, 3}, {1, 1, 1});
  OnnxBuilder::ints(b.node("Conv", "conv1d", {"x", "W"}, "c"), "pads", {1, 1});
  b.node("Relu", "relu", {"c"}, "r");
  auto& m = b.node("MaxPool", "pool1d", {"r"}, "y");
  OnnxBuilder::ints(m, "kernel_shape", {2});
  OnnxBuilder::ints(m, "strides", {2});
  return b.bytes();
}

TEST(quantize_onnx_ops, conv1d_and_pool1d_run_as_2d_with_a_unit_width) {
  // x = (1 -2 3 -4 5), window sums with one zero each side:
  // (-1 2 -3 4 1), Relu (0 2 0 4 1), max of pairs (0 2) (0 4): (2 4).
  const FTensor y = run_float(simplified(conv1d_model()), FTensor{{1, 1, 5}, {1, -2, 3, -4, 5}});
  EXPECT_EQ(y.shape, (Shape{1, 1, 2}));
  expect_floats(y.data, {2, 4});
  expect_close_to_float(conv1d_model(), samples({1, 1, 5}, 6));
}

// ---- Shape folding, Split, Slice (ShuffleNet) -----------------------------------

// ShuffleNetV2's unit on (1, 4, 1, 2): Split the channels in two, Relu the
// second half, Concat, then the channel shuffle with groups 2, whose shapes
// come from Shape: Reshape to (N, 2, C / 2, H, W), swap axes 1 and 2,
// Reshape to (N, -1, H, W).
std::string shuffle_model() {
  OnnxBuilder b({1, 4, 1, 2}, {1, 4, 1, 2});
  b.int_scalar("i0", 0);
  b.int_scalar("i1", 1);
  b.int_constant("i23", {2, 3});
  b.int_constant("two", {2});
  b.int_scalar("groups", 2);
  b.int_constant("minus_one", {-1});
  b.int_constant("axis0", {0});
  auto& split = b.node("Split", "split", {"x"}, "x1");
  split.add_output("x2");
  OnnxBuilder::integer(split, "axis", 1);
  b.node("Relu", "branch", {"x2"}, "r2");
  OnnxBuilder::integer(b.node("Concat", "cat", {"x1", "r2"}, "c"), "axis", 1);
  b.node("Shape", "shape", {"c"}, "s");
  b.node("Gather", "batch", {"s", "i0"}, "n");        // scalar N
  b.node("Unsqueeze", "batch_1d", {"n", "axis0"}, "n1");
  b.node("Gather", "channels", {"s", "i1"}, "ch");    // scalar C
  b.node("Div", "per_group", {"ch", "groups"}, "cg");  // C / 2, integer
  b.node("Unsqueeze", "per_group_1d", {"cg", "axis0"}, "cg1");
  b.node("Gather", "hw", {"s", "i23"}, "hw");         // (H, W)
  OnnxBuilder::integer(b.node("Concat", "shape5", {"n1", "two", "cg1", "hw"}, "s5"), "axis", 0);
  b.node("Reshape", "split_groups", {"c", "s5"}, "g5");
  OnnxBuilder::ints(b.node("Transpose", "swap", {"g5"}, "t5"), "perm", {0, 2, 1, 3, 4});
  OnnxBuilder::integer(b.node("Concat", "shape4", {"n1", "minus_one", "hw"}, "s4"), "axis", 0);
  b.node("Reshape", "merge", {"t5", "s4"}, "y");
  return b.bytes();
}

TEST(quantize_onnx_ops, channel_split_and_shuffle_with_computed_shapes) {
  const FloatGraph g = simplified(shuffle_model());
  for (const FNode& n : g.nodes) EXPECT_NE(n.op, "Shape") << n.name;  // folded away
  // Channels c0..c3 = (1 2), (3 4), (-5 6), (7 -8). Split: (c0 c1), (c2 c3);
  // Relu on the second: (0 6), (7 0). Shuffle with 2 groups interleaves the
  // halves: c0, relu c2, c1, relu c3.
  expect_floats(run_float(g, FTensor{{1, 4, 1, 2}, {1, 2, 3, 4, -5, 6, 7, -8}}).data, {1, 2, 0, 6, 3, 4, 7, 0});
  expect_close_to_float(shuffle_model(), samples({1, 4, 1, 2}, 6));
}

// ShuffleNet's other split: Slice along the channels, to the end (INT64_MAX).
std::string channel_slice_model() {
  OnnxBuilder b({1, 4, 1, 2}, {1, 2, 1, 2});
  b.int_constant("starts", {2});
  b.int_constant("ends", {INT64_MAX});
  b.int_constant("axes", {1});
  b.node("Slice", "upper_half", {"x", "starts", "ends", "axes"}, "y");
  return b.bytes();
}

TEST(quantize_onnx_ops, slice_of_a_computed_tensor_is_a_strided_slice) {
  expect_floats(float_output(channel_slice_model(), {1, 4, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8}), {5, 6, 7, 8});
  expect_close_to_float(channel_slice_model(), samples({1, 4, 1, 2}, 6));
}

TEST(quantize_onnx_ops, slice_with_a_negative_step_is_rejected) {
  OnnxBuilder b({1, 4}, {1, 4});
  b.int_constant("starts", {-1});
  b.int_constant("ends", {-5});
  b.int_constant("axes", {1});
  b.int_constant("steps", {-1});
  b.node("Slice", "reverse", {"x", "starts", "ends", "axes", "steps"}, "y");
  expect_rejected(b.bytes(), "reverse", "positive steps");
}

TEST(quantize_onnx_ops, gather_of_several_indices_of_a_computed_tensor_is_rejected) {
  OnnxBuilder b({1, 4}, {1, 2});
  b.int_constant("i", {0, 2});
  OnnxBuilder::integer(b.node("Gather", "pick", {"x", "i"}, "y"), "axis", 1);
  expect_rejected(b.bytes(), "pick", "single index");
}

// Inception v3's transform_input: each channel picked by Gather (a scalar
// index drops the axis), Unsqueeze'd back, scaled and shifted by constants,
// and concatenated again.
std::string input_transform_model() {
  OnnxBuilder b({1, 2, 1, 2}, {1, 2, 1, 2});
  b.int_scalar("i0", 0);
  b.int_scalar("i1", 1);
  b.int_constant("axis1", {1});
  b.constant("two", {}, {2.0f});
  b.constant("one", {}, {1.0f});
  b.constant("four", {}, {4.0f});
  b.constant("half", {}, {0.5f});
  OnnxBuilder::integer(b.node("Gather", "pick0", {"x", "i0"}, "g0"), "axis", 1);
  OnnxBuilder::integer(b.node("Gather", "pick1", {"x", "i1"}, "g1"), "axis", 1);
  b.node("Unsqueeze", "u0", {"g0", "axis1"}, "c0");
  b.node("Unsqueeze", "u1", {"g1", "axis1"}, "c1");
  b.node("Mul", "scale0", {"c0", "two"}, "m0");
  b.node("Add", "shift0", {"m0", "one"}, "a0");
  b.node("Div", "scale1", {"c1", "four"}, "m1");
  b.node("Sub", "shift1", {"m1", "half"}, "a1");
  OnnxBuilder::integer(b.node("Concat", "cat", {"a0", "a1"}, "y"), "axis", 1);
  return b.bytes();
}

TEST(quantize_onnx_ops, gather_and_constant_arithmetic_on_channels_is_an_affine) {
  // Channel 0 (1 2) * 2 + 1 = (3 5); channel 1 (4 -8) / 4 - 0.5 = (0.5 -2.5).
  expect_floats(float_output(input_transform_model(), {1, 2, 1, 2}, {1, 2, 4, -8}), {3, 5, 0.5f, -2.5f});
  expect_close_to_float(input_transform_model(), samples({1, 2, 1, 2}, 6));
}

// docs/quantizer.rst's table of supported ONNX ops names exactly the op types
// the importer accepts: every capitalised word of its first column is one,
// and every accepted op appears there.
TEST(quantize_onnx_ops, the_docs_table_lists_exactly_the_supported_ops) {
  std::ifstream in(std::string(CVM_SOURCE_DIR) + "/docs/quantizer.rst");
  ASSERT_TRUE(in.good());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  size_t row = 0;
  while (row < lines.size() && lines[row] != "Supported ONNX") ++row;
  while (row < lines.size() && lines[row].rfind("   * - ONNX op", 0) != 0) ++row;  // the header row
  ASSERT_LT(row, lines.size()) << "no supported-op table in docs/quantizer.rst";
  std::set<std::string> documented;
  bool first_column = false;
  for (size_t i = row + 1; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (!l.empty() && l.rfind("   ", 0) != 0) break;  // the text after the table
    if (l.rfind("   * - ", 0) == 0) first_column = true;        // a row's first cell
    else if (l.rfind("     - ", 0) == 0) first_column = false;  // its other cells
    if (!first_column) continue;
    std::string word;
    for (size_t k = 0; k <= l.size(); ++k) {
      const char ch = k < l.size() ? l[k] : ' ';
      if (std::isalpha(static_cast<unsigned char>(ch))) {
        word += ch;
        continue;
      }
      if (!word.empty() && std::isupper(static_cast<unsigned char>(word[0]))) documented.insert(word);
      word.clear();
    }
  }
  const std::vector<std::string> ops = supported_onnx_ops();
  const std::set<std::string> supported(ops.begin(), ops.end());
  for (const std::string& op : supported) EXPECT_TRUE(documented.count(op)) << op << " is not in the docs table";
  for (const std::string& w : documented) EXPECT_TRUE(supported.count(w)) << w << " is in the docs table, not supported";
  EXPECT_GE(supported.size(), 30u);
}

}  // namespace
}  // namespace cvm::quant
