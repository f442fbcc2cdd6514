// The quantizer's use of the value intervals (docs/quantizer.rst, "Value
// intervals"): a requantization scales from the interval of the integer
// values where it is tighter than the calibrated range, plans its multiplier
// for the precision the values need where that is below the declared one, and
// changes nothing where calibration is tighter. Every expected number below is
// worked out by hand from the weights and the CVM precision rules; each test
// also runs the lowered model and checks that no value leaves the interval
// cvm::value_intervals gives its entry.
#include <gtest/gtest.h>

#include <span>

#include "cvm/backend.h"
#include "cvm/certify.h"
#include "cvm/graph.h"
#include "cvm/intervals.h"
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

QuantOptions without_intervals(QuantOptions o = {}) {
  o.use_intervals = false;
  return o;
}

// Runs the model on `input` and checks every value of every node against the
// interval cvm::value_intervals gives its entry.
void expect_within_intervals(const Lowered& l, std::vector<int32_t> input) {
  const std::vector<EntryInterval> iv = value_intervals(*l.model);
  const ModelGraph& g = l.model->graph();
  int64_t checked = 0;
  const NodeObserver observe = [&](size_t node, std::span<const Tensor> outputs) {
    for (size_t k = 0; k < outputs.size(); ++k) {
      const ValueInterval r = iv.at(static_cast<size_t>(g.nodes[node].first_entry) + k).range;
      for (int32_t v : outputs[k].data) {
        ++checked;
        if (!r.contains(v))
          ADD_FAILURE() << g.nodes[node].name << " output " << k << " takes " << v << " outside [" << r.lo << ", "
                        << r.hi << "]";
      }
    }
  };
  Runtime rt(l.model, reference_backend());
  const TensorType t = l.model->input_type();
  rt.run(Tensor{t.shape, t.precision, std::move(input)}, &observe);
  EXPECT_GT(checked, 0);
}

// Deterministic inputs in [-127, 127]: the two extremes and pseudo-random ones.
std::vector<std::vector<int32_t>> some_inputs(size_t n, int count) {
  std::vector<std::vector<int32_t>> out = {std::vector<int32_t>(n, 127), std::vector<int32_t>(n, -127)};
  uint32_t s = 12345;
  for (int i = 0; i < count; ++i) {
    std::vector<int32_t> x(n);
    for (int32_t& v : x) {
      s = s * 1664525u + 1013904223u;
      v = static_cast<int32_t>((s >> 8) % 255) - 127;
    }
    out.push_back(x);
  }
  return out;
}

bool has_node(const Graph& g, const std::string& suffix) {
  for (const GraphNode& n : g.nodes)
    if (n.name.size() >= suffix.size() && n.name.compare(n.name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return true;
  return false;
}

// The attribute text of the node whose name ends with `suffix`.
std::string attrs_of(const Graph& g, const std::string& suffix) {
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const std::string& name = g.nodes[i].name;
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return g.op_attrs.at(i);
  }
  return "(no node " + suffix + ")";
}

const ParamArray* param_named(const QuantizedModel& q, const std::string& suffix) {
  for (const ParamArray& p : q.params)
    if (p.name.size() >= suffix.size() && p.name.compare(p.name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return &p;
  return nullptr;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += x + "; ";
  return s;
}

// Dense(5 -> 1) -> Dense(1 -> 1) with 2-bit weights. W1 = (1, 0.4, 0.4, 0.4,
// 0.4): S_w1 = R(2) / 1 = 1 and the 0.4s round to 0, so the integer
// accumulator is exactly q_x[0]: its interval is [-127, 127] at scale
// S_x S_w1 = 127 * 1, i.e. float values within 1.0. The float model, with the
// unrounded weights, reaches 1 + 4 * 0.4 = 2.6 on the calibration sample of
// ones: calibration over-estimates what the integer model can produce. From
// the interval the target scale is 127 / 1.0 = 127, the accumulator's own, so
// the narrowing is a cvm_clip that no value reaches; from calibration it
// would be 127 / 2.6 (ratio 1 / 2.6, a multiplier) and every value would be
// rounded. fc2 (W2 = 1, S_w2 = 1) then gives y = q_x[0] exactly, at scale 127.
TEST(quantize_intervals, the_interval_sets_the_scale_where_it_is_tighter_than_calibration) {
  OnnxBuilder b({1, 5}, {1, 1});
  b.constant("W1", {1, 5}, {1.0f, 0.4f, 0.4f, 0.4f, 0.4f});
  b.constant("W2", {1, 1}, {1.0f});
  OnnxBuilder::integer(b.node("Gemm", "fc1", {"x", "W1"}, "h"), "transB", 1);
  OnnxBuilder::integer(b.node("Gemm", "fc2", {"h", "W2"}, "y"), "transB", 1);
  const FTensor calib{{1, 5}, {1, 1, 1, 1, 1}};
  QuantOptions o;
  o.weight_precision = 2;
  const Lowered l = lower_and_load(b.bytes(), calib, o);

  ASSERT_EQ(l.q.layers.size(), 2u);
  EXPECT_NEAR(l.q.layers[0].float_range, 2.6, 1e-6);  // the calibrated range
  EXPECT_EQ(l.q.layers[0].interval, (ValueInterval{-127, 127}));
  // fc1: p_x + p_w + bits(5) = 8 + 2 + 3.
  EXPECT_EQ(l.q.layers[0].precision, 13);
  ASSERT_EQ(l.q.layers[1].requant.size(), 1u);
  EXPECT_EQ(l.q.layers[1].requant[0], "x: clip to 8 bits (interval bound)");
  EXPECT_EQ(param_named(l.q, "multiplier"), nullptr);
  EXPECT_DOUBLE_EQ(l.q.output_scale, 127.0);
  EXPECT_EQ(run_int(l, {127, 127, 127, 127, 127}), (std::vector<int32_t>{127}));
  EXPECT_EQ(run_int(l, {-50, 100, -100, 100, 100}), (std::vector<int32_t>{-50}));
  EXPECT_EQ(run_int(l, {1, -127, -127, -127, -127}), (std::vector<int32_t>{1}));
  EXPECT_TRUE(certify(*l.model).certified);
  for (const auto& x : some_inputs(5, 50)) expect_within_intervals(l, x);

  // Without the intervals the calibrated 2.6 sets the scale: a multiplier,
  // and a scale below 127 / 2.5.
  const Lowered c = lower_and_load(b.bytes(), calib, without_intervals(o));
  EXPECT_NE(param_named(c.q, "multiplier"), nullptr);
  EXPECT_LT(c.q.output_scale, 127.0 / 2.5);
}

// Dense(64 -> 1) -> Dense(1 -> 1), W1 = (1, 0, ..., 0): a sparse row. The
// declared precision of the accumulator is p_x + p_w + bits(64) = 8 + 8 + 7 =
// 23, but its interval is [-127 * 127, 127 * 127] = [-16129, 16129], 15 bits.
// Calibration (x[0] = 0.6, the rest 1) is tighter for the scale: range 0.6
// against the interval's 1.0, so the target scale 127 / 0.6 is calibration's.
// The ratio (127 / 0.6) / 16129 = 0.0131 keeps only 60% with a shift (>> 7),
// so a 12-bit multiplier: M = round(0.0131234 * 2^17) = 1720, E = 17. At the
// declared 23 bits the product 23 + 12 would need a pre-shift of 3 (rounding
// twice); at the 15 bits the values need, 15 + 12 <= 32, so the accumulator is
// only declared 15 bits (a cvm_clip no value reaches) and rounded once.
TEST(quantize_intervals, the_multiplier_is_planned_for_the_precision_the_values_need) {
  OnnxBuilder b({1, 64}, {1, 1});
  std::vector<float> w1(64, 0.0f);
  w1[0] = 1.0f;
  b.constant("W1", {1, 64}, w1);
  b.constant("W2", {1, 1}, {1.0f});
  OnnxBuilder::integer(b.node("Gemm", "fc1", {"x", "W1"}, "h"), "transB", 1);
  OnnxBuilder::integer(b.node("Gemm", "fc2", {"h", "W2"}, "y"), "transB", 1);
  std::vector<float> x(64, 1.0f);
  x[0] = 0.6f;
  const FTensor calib{{1, 64}, x};
  const Lowered l = lower_and_load(b.bytes(), calib, {});

  ASSERT_EQ(l.q.layers.size(), 2u);
  EXPECT_EQ(l.q.layers[0].precision, 23);
  EXPECT_EQ(l.q.layers[0].interval, (ValueInterval{-16129, 16129}));
  EXPECT_EQ(headroom_bits(l.q.layers[0].interval, 23), 8);
  ASSERT_NE(param_named(l.q, "multiplier"), nullptr);
  EXPECT_EQ(param_named(l.q, "multiplier")->data, (std::vector<int32_t>{1720}));
  EXPECT_FALSE(has_node(l.q.graph, "x_pre"));
  EXPECT_EQ(attrs_of(l.q.graph, "x_bound"), R"({"precision":"15"})");
  EXPECT_EQ(attrs_of(l.q.graph, "x_shift"), R"({"precision":"8","shift_bit":"17"})");
  ASSERT_EQ(l.q.layers[1].requant.size(), 1u);
  EXPECT_EQ(l.q.layers[1].requant[0], "x: x 1720, >> 17 (values need 15 of 23 bits)");
  // q_x[0] = 38 (0.3 * 127 = 38.1): acc = 38 * 127 = 4826, x 1720 = 8300720,
  // ((8300720 >> 16) + 1) >> 1 = (126 + 1) >> 1 = 63; fc2: 63 * 127 = 8001.
  std::vector<int32_t> q(64, -127);
  q[0] = 38;
  EXPECT_EQ(run_int(l, q), (std::vector<int32_t>{8001}));
  // q_x[0] = 127: 16129 x 1720 >> 17 = 212, saturated to 127; 127 * 127.
  q[0] = 127;
  EXPECT_EQ(run_int(l, q), (std::vector<int32_t>{16129}));
  EXPECT_TRUE(certify(*l.model).certified);
  for (const auto& in : some_inputs(64, 50)) expect_within_intervals(l, in);

  // At the declared precision: the pre-shift by 23 + 12 - 32 = 3.
  const Lowered c = lower_and_load(b.bytes(), calib, without_intervals());
  EXPECT_EQ(attrs_of(c.q.graph, "x_pre"), R"({"precision":"20","shift_bit":"3"})");
  EXPECT_FALSE(has_node(c.q.graph, "x_bound"));
}

// Dense(2 -> 1) -> Dense(1 -> 1), W1 = (1, 1), calibration (1, -0.5) and
// (-0.5, 1): the accumulator's range is 0.5, while its interval [-2 * 16129,
// 2 * 16129] allows 2.0, so calibration is tighter; it is 17 bits against the
// declared 8 + 8 + bits(2) = 18, and the plan is a pure shift, which has no
// pre-shift to save. Target scale 127 / 0.5 = 254, ratio 254 / 16129 =
// 0.01575: >> 6 (2^-6 = 0.0156 keeps 99%). The intervals change nothing: the
// same files as without them.
TEST(quantize_intervals, nothing_changes_where_calibration_is_tighter) {
  OnnxBuilder b({1, 2}, {1, 1});
  b.constant("W1", {1, 2}, {1.0f, 1.0f});
  b.constant("W2", {1, 1}, {1.0f});
  OnnxBuilder::integer(b.node("Gemm", "fc1", {"x", "W1"}, "h"), "transB", 1);
  OnnxBuilder::integer(b.node("Gemm", "fc2", {"h", "W2"}, "y"), "transB", 1);
  const FTensor calib{{2, 2}, {1.0f, -0.5f, -0.5f, 1.0f}};
  const Lowered l = lower_and_load(b.bytes(), calib, {});
  const Lowered c = lower_and_load(b.bytes(), calib, without_intervals());

  ASSERT_EQ(l.q.layers.size(), 2u);
  EXPECT_EQ(l.q.layers[0].precision, 18);
  EXPECT_EQ(l.q.layers[0].interval, (ValueInterval{-32258, 32258}));
  EXPECT_EQ(joined(l.q.layers[1].requant), "x: >> 6; ");
  EXPECT_EQ(l.symbol, c.symbol);
  EXPECT_EQ(l.params, c.params);
  // (1, -0.5) -> (127, -64): acc = 16129 - 8128 = 8001,
  // ((8001 >> 5) + 1) >> 1 = 125; fc2: 125 * 127 = 15875.
  EXPECT_EQ(run_int(l, {127, -64}), (std::vector<int32_t>{15875}));
  // (127, 127): acc = 32258 >> 6 = 504 is beyond the calibrated range and
  // saturates to 127, as before: the interval does not widen the scale.
  EXPECT_EQ(run_int(l, {127, 127}), (std::vector<int32_t>{16129}));
  for (const auto& in : some_inputs(2, 50)) expect_within_intervals(l, in);
}

// Conv(1x1, W = 1) -> GlobalAveragePool over 256 x 256. The accumulator is
// declared 8 + 8 + bits(1) = 17 bits and the sum adds bits(65536) = 17 more:
// 34 > 32, so at the declared precision the accumulator is first narrowed to
// 8 bits (>> 7, rounding every value). Its interval [-16129, 16129] needs 15
// bits and 15 + 17 = 32, so it is only declared 15 bits and the sum is exact.
TEST(quantize_intervals, a_global_average_pool_sums_at_the_precision_the_values_need) {
  OnnxBuilder b({1, 1, 256, 256}, {1, 1, 1, 1});
  b.constant("W", {1, 1, 1, 1}, {1.0f});
  b.node("Conv", "conv", {"x", "W"}, "c");
  b.node("GlobalAveragePool", "gap", {"c"}, "y");
  const FTensor calib{{1, 1, 256, 256}, std::vector<float>(65536, 1.0f)};
  const Lowered l = lower_and_load(b.bytes(), calib, {});

  ASSERT_EQ(l.q.layers.size(), 2u);
  EXPECT_EQ(l.q.layers[0].precision, 17);
  EXPECT_EQ(joined(l.q.layers[1].requant), "x: declared 15 bits (interval bound); ");
  EXPECT_EQ(l.q.layers[1].precision, 32);
  EXPECT_DOUBLE_EQ(l.q.output_scale, 127.0 * 127.0 * 65536.0);
  // All 127: every accumulator is 16129 and the sum 16129 * 65536.
  EXPECT_EQ(run_int(l, std::vector<int32_t>(65536, 127)), (std::vector<int32_t>{1057030144}));
  std::vector<int32_t> x(65536, 0);
  x[0] = -127;
  x[1] = 3;
  EXPECT_EQ(run_int(l, x), (std::vector<int32_t>{-127 * 127 + 3 * 127}));
  EXPECT_TRUE(certify(*l.model).certified);
  expect_within_intervals(l, std::vector<int32_t>(65536, -127));
  expect_within_intervals(l, x);

  // At the declared precision: >> 7 first, so 3 * 127 = 381 becomes 3.
  const Lowered c = lower_and_load(b.bytes(), calib, without_intervals());
  EXPECT_EQ(joined(c.q.layers[1].requant), "x: >> 7; ");
}

}  // namespace
}  // namespace cvm::quant
