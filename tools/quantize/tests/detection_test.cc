// The ops of detection heads (LeakyRelu, Resize / Upsample nearest, Sigmoid,
// Exp) and several graph outputs: for each op the float executor against a
// hand computation, the integer model against an independent integer formula
// or the float function within its stated bound, and the rejected forms
// naming the node; then a tiny random-weight detector (convs, an upsample,
// two Sigmoid heads) through the whole `cvm quantize` pipeline.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
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

// A model quantized from the given calibration samples (maxabs), loaded and
// required certified.
struct Quantized {
  FloatGraph g;
  QuantizedModel q;
  std::shared_ptr<const Model> model;
};

Quantized quantized(const std::string& onnx, const FTensor& calib) {
  Quantized r{simplified(onnx), {}, nullptr};
  r.q = lower(r.g, calibrate(r.g, calib, RangeMethod::kMaxAbs, 100), {});
  r.model = Model::load(write_graph_json(r.q.graph), write_params(r.q.params));
  EXPECT_TRUE(certify(*r.model).certified);
  return r;
}

// Every output of the integer model on float input x.
std::vector<Tensor> run_int(const Quantized& m, const FTensor& x) {
  Runtime rt(m.model, reference_backend());
  const TensorType t = m.model->input_type();
  return rt.run(Tensor{t.shape, t.precision, quantize_input(x, m.q.input_scale, m.q.input_precision)});
}

void expect_rejected(const std::string& onnx, const std::string& node, const std::string& why) {
  try {
    simplified(onnx);
    FAIL() << "accepted; expected an error naming " << node;
  } catch (const LogicError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("'" + node + "'"), std::string::npos) << m;
    EXPECT_NE(m.find(why), std::string::npos) << m;
  }
}

void expect_floats(const std::vector<float>& got, const std::vector<float>& want, double tol = 1e-6) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "at " << i;
}

// The calibration sample of the element-wise tests: range 1, so S_x = 127
// and the quantized input is round(127 x) = -127, -64 (-63.5 rounds away
// from zero), 32 (31.75), 127.
const FTensor kSample{{1, 1, 1, 4}, {-1.0f, -0.5f, 0.25f, 1.0f}};
const std::vector<int32_t> kSampleQ = {-127, -64, 32, 127};

// ---- LeakyRelu --------------------------------------------------------------

std::string leaky_model(float alpha) {
  OnnxBuilder b({1, 1, 1, 4}, {1, 1, 1, 4});
  OnnxBuilder::real(b.node("LeakyRelu", "leaky", {"x"}, "y"), "alpha", alpha);
  return b.bytes();
}

TEST(quantize_detection, leaky_relu_float_is_x_or_alpha_x) {
  expect_floats(run_float(simplified(leaky_model(0.1f)), FTensor{{1, 1, 1, 4}, {-2, -1, 0, 3}}).data,
                {-0.2f, -0.1f, 0.0f, 3.0f});
}

TEST(quantize_detection, leaky_relu_is_exact_in_integers) {
  // 12-bit multipliers: P = 2^10 = 1024 (the largest power of two within
  // R(12) = 2047), M = round(0.1 * 1024) = 102; y = 102 q below 0, 1024 q
  // above, at scale 127 * 1024.
  const Quantized m = quantized(leaky_model(0.1f), kSample);
  EXPECT_DOUBLE_EQ(m.q.output_scale, 127.0 * 1024.0);
  const std::vector<int32_t> want = {-127 * 102, -64 * 102, 32 * 1024, 127 * 1024};
  EXPECT_EQ(run_int(m, kSample).at(0).data, want);
}

TEST(quantize_detection, leaky_relu_alpha_beyond_the_multipliers_is_rejected) {
  const FloatGraph g = simplified(leaky_model(5000.0f));
  try {
    lower(g, calibrate(g, kSample, RangeMethod::kMaxAbs, 100), {});
    FAIL() << "accepted";
  } catch (const LogicError& e) {
    EXPECT_NE(std::string(e.what()).find("'leaky'"), std::string::npos) << e.what();
  }
}

// ---- Resize / Upsample ----------------------------------------------------------

// What torch.onnx.export writes for nn.Upsample(scale_factor=s, mode='nearest')
// at opset 13: Resize(x, "", scales) asymmetric / floor.
std::string resize_model(const std::vector<float>& scales, const std::string& transform, const std::string& nearest,
                         const std::string& mode = "nearest") {
  const auto s = static_cast<int64_t>(scales.at(2));
  OnnxBuilder b({1, 1, 2, 2}, {1, 1, 2 * s, 2 * s});
  b.constant("scales", {4}, scales);
  onnx::NodeProto& n = b.node("Resize", "up", {"x", "", "scales"}, "y");
  OnnxBuilder::text(n, "coordinate_transformation_mode", transform);
  OnnxBuilder::text(n, "mode", mode);
  OnnxBuilder::text(n, "nearest_mode", nearest);
  OnnxBuilder::real(n, "cubic_coeff_a", -0.75f);
  return b.bytes();
}

const FTensor kGrid{{1, 1, 2, 2}, {1, 2, 3, 4}};

TEST(quantize_detection, resize_nearest_repeats_each_element) {
  expect_floats(run_float(simplified(resize_model({1, 1, 2, 2}, "asymmetric", "floor")), kGrid).data,
                {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
}

TEST(quantize_detection, resize_lowers_to_upsampling_on_the_integers) {
  // S_x = 127 / 4: q = round(31.75 k) = 32, 64 (63.5), 95, 127.
  const Quantized m = quantized(resize_model({1, 1, 2, 2}, "asymmetric", "floor"), kGrid);
  EXPECT_EQ(m.q.graph.nodes.back().func_name, "upsampling");
  EXPECT_DOUBLE_EQ(m.q.output_scale, m.q.input_scale);
  const std::vector<int32_t> want = {32, 32, 64, 64, 32, 32, 64, 64, 95, 95, 127, 127, 95, 95, 127, 127};
  EXPECT_EQ(run_int(m, kGrid).at(0).data, want);
}

TEST(quantize_detection, resize_sizes_and_half_pixel_rounding_read_the_same_rows) {
  // half_pixel with round_prefer_floor (ONNX's defaults) at scale 3: output
  // row h reads (h + 0.5) / 3 - 0.5 rounded, which is h div 3 for every h.
  OnnxBuilder b({1, 1, 2, 2}, {1, 1, 6, 6});
  b.int_constant("sizes", {1, 1, 6, 6});
  b.node("Resize", "up3", {"x", "", "", "sizes"}, "y");
  const FloatGraph g = simplified(b.bytes());
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.nodes[0].int_attr("scale", 0), 3);
  const std::vector<float> y = run_float(g, kGrid).data;
  ASSERT_EQ(y.size(), 36u);
  EXPECT_EQ(y[0 * 6 + 2], 1.0f);  // (0, 2) reads (0, 0)
  EXPECT_EQ(y[2 * 6 + 3], 2.0f);  // (2, 3) reads (0, 1)
  EXPECT_EQ(y[3 * 6 + 0], 3.0f);  // (3, 0) reads (1, 0)
  EXPECT_EQ(y[5 * 6 + 5], 4.0f);
}

TEST(quantize_detection, upsample_with_a_scales_attribute_is_accepted) {
  OnnxBuilder b({1, 1, 2, 2}, {1, 1, 4, 4});
  OnnxBuilder::floats(b.node("Upsample", "up_v7", {"x"}, "y"), "scales", {1, 1, 2, 2});
  expect_floats(run_float(simplified(b.bytes()), kGrid).data, {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
}

TEST(quantize_detection, resize_forms_the_upsampling_cannot_express_are_rejected_naming_the_node) {
  expect_rejected(resize_model({1, 1, 2, 2}, "asymmetric", "floor", "linear"), "up", "mode 'linear'");
  // asymmetric with round_prefer_floor at scale 3: row 2 reads round(2 / 3) = 1.
  expect_rejected(resize_model({1, 1, 3, 3}, "asymmetric", "round_prefer_floor"), "up", "output row 2 reads input row 1");
  expect_rejected(resize_model({1, 1, 2, 2}, "align_corners", "floor"), "up", "align_corners");
  expect_rejected(resize_model({1, 1, 1.5f, 1.5f}, "asymmetric", "floor"), "up", "integer s");
  expect_rejected(resize_model({1, 2, 2, 2}, "asymmetric", "floor"), "up", "(1, 1, s, s)");
}

// ---- Sigmoid, Exp ---------------------------------------------------------------

std::string unary_model(const std::string& op) {
  OnnxBuilder b({1, 1, 1, 4}, {1, 1, 1, 4});
  b.node(op, "f", {"x"}, "y");
  return b.bytes();
}

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

TEST(quantize_detection, sigmoid_and_exp_float) {
  const FTensor x{{1, 1, 1, 4}, {-1, 0, 0.5f, 2}};
  expect_floats(run_float(simplified(unary_model("Sigmoid")), x).data,
                {0.26894142f, 0.5f, 0.62245933f, 0.88079708f});
  expect_floats(run_float(simplified(unary_model("Exp")), x).data, {0.36787944f, 1.0f, 1.6487213f, 7.3890561f}, 1e-5);
}

// The table entry for q is round(f(q / 127) * S_y) with S_y = 127 / f(1)
// (f increasing: its largest value on [-1, 1] is at 1); the dequantized
// output is within 0.5 / S_y of f at the quantized input, and that within
// max f' * 0.5 / 127 of f(x).
void expect_lut(const std::string& op, double (*f)(double), double max_slope) {
  const Quantized m = quantized(unary_model(op), kSample);
  EXPECT_EQ(m.q.graph.nodes.back().func_name, "cvm_lut");
  const double sy = 127.0 / f(1.0);
  EXPECT_NEAR(m.q.output_scale, sy, 1e-9 * sy);
  const std::vector<int32_t> got = run_int(m, kSample).at(0).data;
  ASSERT_EQ(got.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(got[i], static_cast<int32_t>(std::lround(f(kSampleQ[i] / 127.0) * sy))) << op << " at " << i;
    EXPECT_LE(std::fabs(got[i] / sy - f(kSample.data[i])), 0.5 / sy + max_slope * 0.5 / 127.0 + 1e-9) << op;
  }
}

TEST(quantize_detection, sigmoid_is_a_lookup_table) { expect_lut("Sigmoid", sigmoid, 0.25); }

TEST(quantize_detection, exp_is_a_lookup_table) {
  expect_lut("Exp", [](double v) { return std::exp(v); }, std::exp(1.0));
}

// ---- Softmax ---------------------------------------------------------------------

TEST(quantize_detection, softmax_float_over_the_last_axis) {
  OnnxBuilder b({1, 2, 2}, {1, 2, 2});
  b.node("Softmax", "sm", {"x"}, "y");
  // Rows (0, ln 3) and (1, 1): (1/4, 3/4) and (1/2, 1/2).
  expect_floats(run_float(simplified(b.bytes()), FTensor{{1, 2, 2}, {0, std::log(3.0f), 1, 1}}).data,
                {0.25f, 0.75f, 0.5f, 0.5f});
}

TEST(quantize_detection, softmax_is_exp_table_sum_and_rounded_division) {
  OnnxBuilder b({1, 1, 1, 4}, {1, 1, 1, 4});
  b.node("Softmax", "sm", {"x"}, "y");
  const Quantized m = quantized(b.bytes(), kSample);
  EXPECT_DOUBLE_EQ(m.q.output_scale, 127.0);
  // q - max(q) = -254, -191, -95, 0; T = R(16) = 32767 (L = 4 needs 3 bits,
  // 2 * 127 needs 9: 16 fits); e = round(T e^(d / 127)); y = (254 e + s) div 2s.
  const std::vector<int64_t> d = {-254, -191, -95, 0};
  std::vector<int64_t> e;
  int64_t s = 0;
  for (int64_t v : d) s += e.emplace_back(std::llround(32767.0 * std::exp(static_cast<double>(v) / 127.0)));
  std::vector<int32_t> want;
  for (int64_t v : e) want.push_back(static_cast<int32_t>((254 * v + s) / (2 * s)));
  const std::vector<int32_t> got = run_int(m, kSample).at(0).data;
  EXPECT_EQ(got, want);
  // And close to the float softmax: the division's rounding (0.5 / 127),
  // the table's (0.5 (L + 1) / T) and the input's (the softmax moves by at
  // most 0.5 x the largest input change, 0.5 / 127).
  const std::vector<float> f = run_float(m.g, kSample).data;
  for (size_t i = 0; i < 4; ++i) EXPECT_LE(std::fabs(got[i] / 127.0 - f[i]), 1.0 / 127 + 2.5 / 32767) << i;
}

TEST(quantize_detection, softmax_over_another_axis_is_rejected_naming_the_node) {
  OnnxBuilder b({1, 3, 2, 2}, {1, 3, 2, 2});
  OnnxBuilder::integer(b.node("Softmax", "class_softmax", {"x"}, "y"), "axis", 1);
  expect_rejected(b.bytes(), "class_softmax", "last axis");
}

// ---- box decoding: constants along the box axis --------------------------------------

// YOLO's xy = (sigmoid(t) + grid) * stride and wh = exp(t) * anchor, on
// (1, 4 boxes, 2): the grid and anchors vary along the box axis, not the
// channels (axis 1 here is the boxes, the constants are (4, 2)).
std::string decode_model(const std::string& op, const std::string& f) {
  OnnxBuilder b({1, 4, 2}, {1, 4, 2});
  b.constant("c", {4, 2}, {0, 0, 1, 0, 0, 1, 1, 1});
  if (op == "Mul") {
    std::vector<float> anchors = {0.5f, 1.0f, 2.0f, 1.5f, 3.0f, 0.25f, 1.0f, 4.0f};
    b.constant("anchors", {4, 2}, anchors);
  }
  b.node(f, "f", {"x"}, "t");
  b.node(op, "decode", {"t", op == "Mul" ? "anchors" : "c"}, "y");
  return b.bytes();
}

const FTensor kBoxes{{1, 4, 2}, {-1.0f, 0.5f, 0.25f, -0.75f, 1.0f, 0.0f, -0.5f, 0.8f}};

TEST(quantize_detection, box_decoding_constants_become_a_broadcast_affine) {
  const FloatGraph add = simplified(decode_model("Add", "Sigmoid"));
  EXPECT_EQ(add.nodes.back().op, "Affine");
  std::vector<float> want;
  const std::vector<float> grid = {0, 0, 1, 0, 0, 1, 1, 1};
  for (size_t i = 0; i < 8; ++i) want.push_back(static_cast<float>(sigmoid(kBoxes.data[i]) + grid[i]));
  expect_floats(run_float(add, kBoxes).data, want);
  const FloatGraph mul = simplified(decode_model("Mul", "Exp"));
  const std::vector<float> anchors = {0.5f, 1.0f, 2.0f, 1.5f, 3.0f, 0.25f, 1.0f, 4.0f};
  want.clear();
  for (size_t i = 0; i < 8; ++i) want.push_back(static_cast<float>(std::exp(kBoxes.data[i]) * anchors[i]));
  expect_floats(run_float(mul, kBoxes).data, want, 1e-5);
}

TEST(quantize_detection, box_decoding_quantizes_close_to_float) {
  for (const auto& [op, f] : {std::pair<std::string, std::string>{"Add", "Sigmoid"}, {"Mul", "Exp"}}) {
    const Quantized m = quantized(decode_model(op, f), kBoxes);
    const std::vector<float> want = run_float(m.g, kBoxes).data;
    const std::vector<int32_t> got = run_int(m, kBoxes).at(0).data;
    ASSERT_EQ(got.size(), want.size());
    double largest = 0;
    for (float v : want) largest = std::max(largest, std::fabs(static_cast<double>(v)));
    // Two 8-bit roundings (the input, the table) and a 12-bit multiplier:
    // within 3% of the largest value (a constant applied along the wrong
    // axis moves some element by 0.5 or more).
    for (size_t i = 0; i < got.size(); ++i)
      EXPECT_NEAR(got[i] / m.q.output_scale, want[i], 0.03 * largest) << op << " at " << i;
  }
}

TEST(quantize_detection, sub_of_two_computed_tensors_is_an_elemwise_sub) {
  // x - relu(x) = min(x, 0): both at the input's scale, so the integers are
  // q - relu(q) exactly.
  OnnxBuilder b({1, 1, 1, 4}, {1, 1, 1, 4});
  b.node("Relu", "r", {"x"}, "p");
  b.node("Sub", "corner", {"x", "p"}, "y");
  const Quantized m = quantized(b.bytes(), kSample);
  expect_floats(run_float(m.g, kSample).data, {-1.0f, -0.5f, 0.0f, 0.0f});
  EXPECT_EQ(m.q.graph.nodes.back().func_name, "elemwise_sub");
  EXPECT_EQ(run_int(m, kSample).at(0).data, (std::vector<int32_t>{-127, -64, 0, 0}));
}

// ---- several outputs: a tiny detector ----------------------------------------------

// Random-looking but fixed weights in [-0.5, 0.5].
std::vector<float> weights(size_t n, double seed) {
  std::vector<float> w(n);
  for (size_t i = 0; i < n; ++i) w[i] = static_cast<float>(0.5 * std::sin(seed + 1.37 * static_cast<double>(i)));
  return w;
}

// A YOLO-like two-scale detector: x (1, 3, 8, 8) -> conv3x3 (8) ->
// LeakyRelu -> conv3x3 stride 2 (8) -> LeakyRelu = f (4 x 4 grid); Resize x2
// of f = u (8 x 8 grid); on each grid a conv1x1 predicts 6 values per cell,
// reshaped and transposed to (1, cells, 6); both concatenated to (1, 80, 6).
// Outputs: "y" the boxes (values 0-3, raw) and "y2" the scores
// (Sigmoid of values 4-5): 80 rows each, as CVM's row interleaving of
// several heads needs (infer_c2).
void predict(OnnxBuilder& b, const std::string& in, const std::string& w, int64_t cells, const std::string& out) {
  b.node("Conv", w + "_conv", {in, w}, w + "_p");
  b.int_constant(w + "_shape", {1, 6, cells});
  b.node("Reshape", w + "_reshape", {w + "_p", w + "_shape"}, w + "_r");
  OnnxBuilder::ints(b.node("Transpose", w + "_transpose", {w + "_r"}, out), "perm", {0, 2, 1});
}

std::string detector_model() {
  OnnxBuilder b({1, 3, 8, 8}, {1, 80, 4});
  b.output("y2", {1, 80, 2});
  b.constant("w1", {8, 3, 3, 3}, weights(8 * 27, 0.1));
  b.constant("b1", {8}, weights(8, 0.2));
  b.constant("w2", {8, 8, 3, 3}, weights(8 * 72, 0.3));
  b.constant("wh", {6, 8, 1, 1}, weights(48, 0.4));  // the predictors' weight names name their nodes
  b.constant("wu", {6, 8, 1, 1}, weights(48, 0.5));
  b.constant("scales", {4}, {1, 1, 2, 2});
  OnnxBuilder::ints(b.node("Conv", "c1", {"x", "w1", "b1"}, "c1"), "pads", {1, 1, 1, 1});
  OnnxBuilder::real(b.node("LeakyRelu", "l1", {"c1"}, "l1"), "alpha", 0.1f);
  onnx::NodeProto& c2 = b.node("Conv", "c2", {"l1", "w2"}, "c2");
  OnnxBuilder::ints(c2, "pads", {1, 1, 1, 1});
  OnnxBuilder::ints(c2, "strides", {2, 2});
  OnnxBuilder::real(b.node("LeakyRelu", "l2", {"c2"}, "f"), "alpha", 0.1f);
  onnx::NodeProto& up = b.node("Resize", "up", {"f", "", "scales"}, "u");
  OnnxBuilder::text(up, "coordinate_transformation_mode", "asymmetric");
  OnnxBuilder::text(up, "mode", "nearest");
  OnnxBuilder::text(up, "nearest_mode", "floor");
  predict(b, "f", "wh", 16, "p1");
  predict(b, "u", "wu", 64, "p2");
  OnnxBuilder::integer(b.node("Concat", "preds", {"p1", "p2"}, "p"), "axis", 1);
  b.int_constant("axis2", {2});
  b.int_constant("at0", {0});
  b.int_constant("at4", {4});
  b.int_constant("at6", {6});
  b.node("Slice", "boxes", {"p", "at0", "at4", "axis2"}, "y");
  b.node("Slice", "score_logits", {"p", "at4", "at6", "axis2"}, "s");
  b.node("Sigmoid", "scores", {"s"}, "y2");
  return b.bytes();
}

FTensor detector_samples(int64_t count) {
  FTensor t{{count, 3, 8, 8}, std::vector<float>(static_cast<size_t>(count * 192))};
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<float>(std::sin(0.61 * static_cast<double>(i)));
  return t;
}

TEST(quantize_detection, a_detector_with_two_heads_quantizes_certifies_and_runs) {
  const FTensor calib = detector_samples(4);
  const Quantized m = quantized(detector_model(), calib);
  ASSERT_EQ(m.g.outputs, (std::vector<std::string>{"y", "y2"}));
  ASSERT_EQ(m.q.graph.heads.size(), 2u);
  ASSERT_EQ(m.q.output_scales.size(), 2u);
  for (int64_t i = 0; i < calib.shape[0]; ++i) {
    const FTensor x = slice_samples(calib, i, 1);
    const std::vector<FTensor> want = run_float_outputs(m.g, x);
    const std::vector<Tensor> got = run_int(m, x);
    ASSERT_EQ(got.size(), 2u);
    for (size_t h = 0; h < 2; ++h) {
      ASSERT_EQ(got[h].data.size(), want[h].data.size());
      EXPECT_EQ(got[h].shape, want[h].shape);
      // Within 3% of the head's largest float value (expect_close_to_float
      // in onnx_ops_test.cc says why; the scores, in (0, 1), with sigmoid's
      // slope <= 0.25, are closer still); a swapped head or a wrong scale is
      // off by far more.
      double largest = 0;
      for (float v : want[h].data) largest = std::max(largest, std::fabs(static_cast<double>(v)));
      EXPECT_GT(largest, 0.1);
      for (size_t k = 0; k < want[h].data.size(); ++k)
        EXPECT_NEAR(got[h].data[k] / m.q.output_scales[h], want[h].data[k], 0.03 * largest)
            << "head " << h << " at " << k;
    }
  }
}

TEST(quantize_detection, outputs_with_different_row_counts_are_rejected_before_calibration) {
  // (1, 2, 3) has 2 rows of 3, (1, 2, 3) -> Reshape (1, 3, 2) has 3 rows.
  OnnxBuilder b({1, 2, 3}, {1, 2, 3});
  b.output("y2", {1, 3, 2});
  b.node("Relu", "r", {"x"}, "y");
  b.int_constant("shape", {1, 3, 2});
  b.node("Reshape", "rs", {"x", "shape"}, "y2");
  try {
    simplified(b.bytes());
    FAIL() << "accepted";
  } catch (const LogicError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("'y2' has 3 rows"), std::string::npos) << m;
    EXPECT_NE(m.find("infer_c2"), std::string::npos) << m;
  }
}

// ---- NMS ---------------------------------------------------------------------------

// Rows (class id, score, x1, y1, x2, y2); the id 1 makes the range 1, so
// S = 127: scores 0.9, 0.8, 0.7, 0.1 -> 114, 102, 89, 13; 0.5 -> 64,
// 0.05 -> 6, 0.6 -> 76.
const FTensor kDetections{{1, 4, 6},
                          {0, 0.9f, 0, 0, 0.5f, 0.5f,         // kept (best score)
                           0, 0.8f, 0.05f, 0.05f, 0.5f, 0.5f,  // IoU 58^2 / 64^2 = 82% with row 0: suppressed
                           1, 0.7f, 0, 0, 0.5f, 0.5f,          // another class: kept
                           0, 0.1f, 0.6f, 0.6f, 0.9f, 0.9f}};  // score below 0.2: not valid

std::string detections_model() {
  OnnxBuilder b({1, 4, 6}, {1, 4, 6});
  b.int_constant("shape", {1, 4, 6});
  b.node("Reshape", "detections", {"x", "shape"}, "y");
  return b.bytes();
}

TEST(quantize_detection, nms_keeps_the_best_box_per_class_and_fills_with_minus_one) {
  const FloatGraph g = simplified(detections_model());
  QuantOptions o;
  o.nms.enabled = true;
  o.nms.score_threshold = 0.2;  // round(0.2 * 127) = 25
  const QuantizedModel q = lower(g, calibrate(g, kDetections, RangeMethod::kMaxAbs, 100), o);
  EXPECT_TRUE(q.nms_head);
  EXPECT_EQ(q.graph.nodes.back().func_name, "non_max_suppression");
  const std::shared_ptr<const Model> model = Model::load(write_graph_json(q.graph), write_params(q.params));
  EXPECT_TRUE(certify(*model).certified);
  const Quantized m{g, q, model};
  const std::vector<int32_t> want = {0,   114, 0,  0,  64, 64,  // row 0
                                     127, 89,  0,  0,  64, 64,  // row 2
                                     -1,  -1,  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  EXPECT_EQ(run_int(m, kDetections).at(0).data, want);
  // With force_suppress the other class's identical box goes too.
  o.nms.force_suppress = true;
  const QuantizedModel forced = lower(g, calibrate(g, kDetections, RangeMethod::kMaxAbs, 100), o);
  const Quantized f{g, forced, Model::load(write_graph_json(forced.graph), write_params(forced.params))};
  const std::vector<int32_t> got = run_int(f, kDetections).at(0).data;
  EXPECT_EQ(std::vector<int32_t>(got.begin(), got.begin() + 7), (std::vector<int32_t>{0, 114, 0, 0, 64, 64, -1}));
}

TEST(quantize_detection, nms_needs_one_output_of_six_values_per_row) {
  OnnxBuilder b({1, 4, 5}, {1, 4, 5});
  b.node("Relu", "r", {"x"}, "y");
  const FloatGraph g = simplified(b.bytes());
  QuantOptions o;
  o.nms.enabled = true;
  try {
    lower(g, calibrate(g, FTensor{{1, 4, 5}, std::vector<float>(20, 0.5f)}, RangeMethod::kMaxAbs, 100), o);
    FAIL() << "accepted";
  } catch (const LogicError& e) {
    EXPECT_NE(std::string(e.what()).find("(B, N, 6)"), std::string::npos) << e.what();
  }
}

// A float32 .npy file (version 1.0, little-endian, C order).
void write_f32_npy(const std::string& path, const FTensor& t) {
  std::string shape = "(";
  for (int64_t d : t.shape) shape += std::to_string(d) + ",";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream f(path, std::ios::binary);
  f.write("\x93NUMPY\x01\x00", 8);
  const auto len = static_cast<uint16_t>(header.size());
  const char le[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
  f.write(le, 2);
  f << header;
  f.write(reinterpret_cast<const char*>(t.data.data()), static_cast<std::streamsize>(t.data.size() * 4));
}

class DetectorPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cvm_detection_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "det.onnx", std::ios::binary) << detector_model();
    write_f32_npy((dir_ / "calib.npy").string(), detector_samples(2));
    job_.onnx_path = (dir_ / "det.onnx").string();
    job_.calibration_path = (dir_ / "calib.npy").string();
    job_.output_dir = (dir_ / "out").string();
    job_.error_samples = 2;
    job_.eval_backend = "reference";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  QuantizeJob job_;
};

TEST_F(DetectorPipeline, the_report_lists_each_output_with_its_scale_and_error) {
  const QuantizeResult r = quantize(job_, [](const std::string&) {});
  EXPECT_TRUE(r.certified);
  std::ifstream in(r.report_path);
  const nlohmann::json report = nlohmann::json::parse(in);
  ASSERT_EQ(report.at("outputs").size(), 2u);
  EXPECT_EQ(report["outputs"][0]["name"], "y");
  EXPECT_EQ(report["outputs"][1]["name"], "y2");
  EXPECT_EQ(report["outputs"][0]["shape"], nlohmann::json::array({1, 80, 4}));
  EXPECT_EQ(report["outputs"][1]["shape"], nlohmann::json::array({1, 80, 2}));
  EXPECT_EQ(report["outputs"][0]["scale"], report["output"]["scale"]);
  for (const auto& o : report["outputs"]) EXPECT_GT(o["scale"].get<double>(), 0.0);
  ASSERT_EQ(report.at("error").at("outputs").size(), 2u);
  for (const auto& e : report["error"]["outputs"]) {
    EXPECT_TRUE(e.contains("rel_l2"));
    EXPECT_LT(e["rel_l2"].get<double>(), 0.05);
  }
}

TEST_F(DetectorPipeline, accuracy_evaluation_is_refused_for_several_outputs) {
  job_.eval_path = (dir_ / "calib.npy").string();
  job_.labels_path = (dir_ / "missing_labels.npy").string();
  try {
    quantize(job_, [](const std::string&) {});
    FAIL() << "accepted";
  } catch (const LogicError& e) {
    EXPECT_NE(std::string(e.what()).find("2 outputs"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cvm::quant
