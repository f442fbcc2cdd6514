// Small ONNX models with known weights, quantized and compared with integer
// models computed by hand; and the errors for what cannot be quantized.
#include <gtest/gtest.h>

#include "cvm/backend.h"
#include "cvm/certify.h"
#include "cvm/errors.h"
#include "cvm/graph.h"
#include "cvm/model.h"
#include "cvm/params.h"
#include "cvm/runtime.h"
#include "lowered_model.h"
#include "onnx_builder.h"
#include "tools/quantize/calibrate.h"
#include "tools/quantize/lower.h"
#include "tools/quantize/onnx_import.h"
#include "tools/quantize/simplify.h"

namespace cvm::quant {
namespace {

using namespace test;  // OnnxBuilder, Lowered, lower_and_load, run_int

const ParamArray& param_named(const QuantizedModel& q, const std::string& suffix) {
  for (const ParamArray& p : q.params)
    if (p.name.size() >= suffix.size() && p.name.compare(p.name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return p;
  throw std::runtime_error("no param " + suffix);
}

// Gemm y = x W^T + b with x in [-1, 1]: S_x = 127, S_w = 127 / max|W| = 127,
// bias at S_x * S_w = 16129. Every number below is worked out by hand.
TEST(quantize_onnx, gemm_matches_the_hand_computed_integer_model) {
  OnnxBuilder b({1, 2}, {1, 2});
  b.constant("W", {2, 2}, {1.0f, -0.5f, 0.25f, 0.5f});
  b.constant("B", {2}, {0.5f, -0.25f});
  OnnxBuilder::integer(b.node("Gemm", "fc", {"x", "W", "B"}, "y"), "transB", 1);
  const FTensor calib{{2, 2}, {1.0f, -1.0f, 0.5f, 0.25f}};
  const Lowered l = lower_and_load(b.bytes(), calib);

  EXPECT_DOUBLE_EQ(l.q.input_scale, 127.0);
  // round(127 * W), ties away from zero: -63.5 -> -64, 31.75 -> 32, 63.5 -> 64.
  EXPECT_EQ(param_named(l.q, "weight").data, (std::vector<int32_t>{127, -64, 32, 64}));
  // round(16129 * b): 8064.5 -> 8065, -4032.25 -> -4032.
  EXPECT_EQ(param_named(l.q, "bias").data, (std::vector<int32_t>{8065, -4032}));
  EXPECT_DOUBLE_EQ(l.q.output_scale, 16129.0);
  // Only the dense node: data, weight, bias, dense.
  EXPECT_EQ(l.q.graph.nodes.size(), 4u);
  // x = (1, -1): q_x = (127, -127).
  //   y0 = 127*127 + (-127)*(-64) + 8065 = 32322
  //   y1 = 127*32 + (-127)*64 - 4032   = -8096
  EXPECT_EQ(run_int(l, {127, -127}), (std::vector<int32_t>{32322, -8096}));
  EXPECT_TRUE(certify(*l.model).certified);
}

// Conv(1x1, bias) -> Relu -> Conv(1x1): the second conv reads an 8-bit
// input, so the first accumulator is requantized from the calibrated range of
// the Relu output. Calibration x in {1, 0.5}: range 1, S_x = 127. W1 = 2:
// S_w1 = 63.5, q = 127; the accumulator scale is 127 * 63.5 = 8064.5 and the
// bias -0.75 becomes round(-6048.375) = -6048. The Relu output 2x - 0.75
// reaches 1.25, so the target scale is 127 / 1.25 and the ratio
// 2 / (127 * 1.25) = 0.0126: the shift 7 keeps only 62% of it (< 0.75), so
// a 12-bit multiplier: M = round(0.0126 * 2^17) = 1651 in [1024, 2047], E = 17.
TEST(quantize_onnx, requantization_uses_the_hand_computed_multiplier) {
  OnnxBuilder b({1, 1, 1, 1}, {1, 1, 1, 1});
  b.constant("W1", {1, 1, 1, 1}, {2.0f});
  b.constant("B1", {1}, {-0.75f});
  b.constant("W2", {1, 1, 1, 1}, {-1.0f});
  b.node("Conv", "c1", {"x", "W1", "B1"}, "a");
  b.node("Relu", "r", {"a"}, "r");
  b.node("Conv", "c2", {"r", "W2"}, "y");
  const FTensor calib{{2, 1, 1, 1}, {1.0f, 0.5f}};
  const Lowered l = lower_and_load(b.bytes(), calib);
  EXPECT_EQ(param_named(l.q, "bias").data, (std::vector<int32_t>{-6048}));
  EXPECT_EQ(param_named(l.q, "multiplier").data, (std::vector<int32_t>{1651}));
  // x = 1: q_x = 127; acc = 127*127 - 6048 = 10081 (precision 18: no
  // pre-shift, 18 + 12 <= 32); x 1651 = 16643731; cvm_right_shift 17:
  // ((16643731 >> 16) + 1) >> 1 = (253 + 1) >> 1 = 127; c2 = 127 * -127.
  EXPECT_EQ(run_int(l, {127}), (std::vector<int32_t>{-16129}));
  // x = 0.5: q_x = 64 (63.5 away from zero); acc = 8128 - 6048 = 2080;
  // x 1651 = 3434080; ((3434080 >> 16) + 1) >> 1 = (52 + 1) >> 1 = 26.
  EXPECT_EQ(run_int(l, {64}), (std::vector<int32_t>{-3302}));
  // With shifts only, the same model uses >> 7:
  // ((10081 >> 6) + 1) >> 1 = (157 + 1) >> 1 = 79; 79 * -127 = -10033.
  QuantOptions shifts;
  shifts.min_shift_efficiency = 0.0;
  const Lowered s = lower_and_load(b.bytes(), calib, shifts);
  EXPECT_EQ(run_int(s, {127}), (std::vector<int32_t>{-10033}));
}

void expect_rejected(const std::string& onnx, const std::string& needle) {
  try {
    FloatGraph g = import_onnx(onnx);
    simplify(g);
    FAIL() << "accepted; expected an error mentioning " << needle;
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), "quantize");
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(quantize_onnx, unsupported_op_is_an_error_naming_the_node) {
  OnnxBuilder b({1, 2}, {1, 2});
  b.node("Tanh", "the_tanh", {"x"}, "y");
  expect_rejected(b.bytes(), "the_tanh");
}

TEST(quantize_onnx, asymmetric_padding_is_an_error_naming_the_node) {
  OnnxBuilder b({1, 1, 4, 4}, {1, 1, 5, 5});
  b.constant("W", {1, 1, 2, 2}, {1, 1, 1, 1});
  OnnxBuilder::ints(b.node("Conv", "lopsided", {"x", "W"}, "y"), "pads", {1, 1, 0, 0});
  expect_rejected(b.bytes(), "lopsided");
}

TEST(quantize_onnx, unknown_attribute_is_an_error_naming_it) {
  OnnxBuilder b({1, 2}, {1, 2});
  OnnxBuilder::integer(b.node("Relu", "r", {"x"}, "y"), "mystery", 1);
  expect_rejected(b.bytes(), "mystery");
}

TEST(quantize_onnx, garbage_is_not_an_onnx_model) {
  try {
    import_onnx("this is not protobuf \xff\xff\xff");
    FAIL() << "accepted";
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), "quantize");
  }
}

}  // namespace
}  // namespace cvm::quant
