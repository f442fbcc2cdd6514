// The integer model tracks the float model: on a random residual CNN
// (Conv+BN, Relu, MaxPool, residual Add, Concat, GlobalAveragePool, Gemm)
// the dequantized integer logits stay close to the float ones, with shifts
// only and with multipliers, and the reference and fast backends agree.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "cvm/backend.h"
#include "cvm/certify.h"
#include "cvm/graph.h"
#include "cvm/model.h"
#include "cvm/params.h"
#include "cvm/runtime.h"
#include "onnx_builder.h"
#include "tools/quantize/calibrate.h"
#include "tools/quantize/float_exec.h"
#include "tools/quantize/lower.h"
#include "tools/quantize/onnx_import.h"
#include "tools/quantize/simplify.h"

namespace cvm::quant {
namespace {

using test::OnnxBuilder;

std::vector<float> normal(std::mt19937& rng, size_t n, float sigma) {
  // Box-Muller on the engine's raw 32-bit output: the same values everywhere
  // (std::normal_distribution's algorithm is implementation-defined).
  std::vector<float> out(n);
  for (size_t i = 0; i < n; ++i) {
    const double u1 = (rng() + 1.0) / 4294967297.0, u2 = rng() / 4294967296.0;
    out[i] = static_cast<float>(sigma * std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2));
  }
  return out;
}

std::string residual_cnn(std::mt19937& rng) {
  OnnxBuilder b({1, 2, 8, 8}, {1, 5});
  b.constant("w1", {4, 2, 3, 3}, normal(rng, 72, 0.4f));
  b.constant("b1", {4}, normal(rng, 4, 0.1f));
  b.constant("g", {4}, {1.5f, 0.5f, 1.0f, 2.0f});
  b.constant("t", {4}, normal(rng, 4, 0.1f));
  b.constant("m", {4}, normal(rng, 4, 0.1f));
  b.constant("v", {4}, {1.0f, 0.5f, 2.0f, 1.0f});
  b.constant("w2", {4, 4, 3, 3}, normal(rng, 144, 0.2f));
  b.constant("w3", {2, 4, 1, 1}, normal(rng, 8, 0.5f));
  b.constant("fc", {5, 6}, normal(rng, 30, 0.5f));
  b.constant("fb", {5}, normal(rng, 5, 0.1f));
  OnnxBuilder::ints(b.node("Conv", "conv1", {"x", "w1", "b1"}, "c1"), "pads", {1, 1, 1, 1});
  b.node("BatchNormalization", "bn1", {"c1", "g", "t", "m", "v"}, "n1");
  b.node("Relu", "relu1", {"n1"}, "r1");
  auto& pool = b.node("MaxPool", "pool1", {"r1"}, "p1");
  OnnxBuilder::ints(pool, "kernel_shape", {2, 2});
  OnnxBuilder::ints(pool, "strides", {2, 2});
  OnnxBuilder::ints(b.node("Conv", "conv2", {"p1", "w2"}, "c2"), "pads", {1, 1, 1, 1});
  b.node("Relu", "relu2", {"c2"}, "r2");
  b.node("Add", "residual", {"r2", "p1"}, "a");
  b.node("Conv", "conv3", {"a", "w3"}, "c3");
  OnnxBuilder::integer(b.node("Concat", "cat", {"a", "c3"}, "k"), "axis", 1);
  b.node("GlobalAveragePool", "gap", {"k"}, "gp");
  b.node("Flatten", "flat", {"gp"}, "f");
  OnnxBuilder::integer(b.node("Gemm", "fc", {"f", "fc", "fb"}, "y"), "transB", 1);
  return b.bytes();
}

// The worst dequantized-logit error over 16 samples, relative to the range.
double relative_error(const QuantOptions& options) {
  std::mt19937 rng(7);
  FloatGraph g = import_onnx(residual_cnn(rng));
  simplify(g);
  FTensor calib{{64, 2, 8, 8}, {}};
  for (float v : normal(rng, 64 * 128, 1.0f)) calib.data.push_back(v);
  const Ranges r = calibrate(g, calib, RangeMethod::kMaxAbs, 100);
  const QuantizedModel q = lower(g, r, options);
  const auto model = Model::load(write_graph_json(q.graph), write_params(q.params));
  EXPECT_TRUE(certify(*model).certified);
  Runtime ref(model, reference_backend()), fast(model, fast_backend());
  double worst = 0, out_range = r.range.at(g.outputs.at(0));
  for (int64_t i = 0; i < 16; ++i) {
    const FTensor x = slice_samples(calib, i, 1);
    const FTensor fy = run_float(g, x);
    const Tensor in{{1, 2, 8, 8}, 8, quantize_input(x, q.input_scale, 8)};
    const std::vector<Tensor> iy = ref.run(in);
    EXPECT_EQ(iy, fast.run(in)) << "sample " << i;
    for (size_t k = 0; k < fy.data.size(); ++k)
      worst = std::max(worst, std::fabs(iy[0].data[k] / q.output_scale - fy.data[k]));
  }
  return worst / out_range;
}

// Measured: 1.8% (multipliers), 1.7% (shifts only), 84% at 3 bits.
TEST(quantize_fidelity, multipliers_track_the_float_model) { EXPECT_LT(relative_error(QuantOptions{}), 0.03); }

TEST(quantize_fidelity, shifts_only_still_track_it) {
  QuantOptions o;
  o.min_shift_efficiency = 0.0;
  EXPECT_LT(relative_error(o), 0.05);
}

TEST(quantize_fidelity, three_bits_track_it_much_worse) {
  QuantOptions o;
  o.activation_precision = 3;
  o.weight_precision = 3;
  // The same machinery at 3 bits: still certified and backend-identical,
  // and visibly less accurate, so the tolerance above is not vacuous.
  EXPECT_GT(relative_error(o), 4 * relative_error(QuantOptions{}));
}

}  // namespace
}  // namespace cvm::quant
