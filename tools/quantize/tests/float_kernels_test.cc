// The calibration conv/dense kernels (float_kernels.h) against the straight
// loops they replaced, bit for bit, on every ISA path this CPU has and on 1
// and 2 threads: the calibrated ranges, and so the integer model's bytes,
// must not depend on either. Then calibrate()'s several-batches-per-run
// mode, which must not change a range either.
#include "tools/quantize/float_kernels.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "tools/quantize/calibrate.h"

namespace cvm::quant {
namespace {

// The quantizer's original conv loop: a double accumulator starting at the
// bias, adding x * w over (c, kh, kw) in order, padded positions skipped.
std::vector<float> plain_conv(const ConvGeometry& g, const std::vector<float>& x, const std::vector<float>& w,
                              const float* bias) {
  const int64_t cg = g.c / g.groups, og = g.o / g.groups;
  std::vector<float> y(static_cast<size_t>(g.n * g.o * g.oh * g.ow));
  for (int64_t ni = 0; ni < g.n; ++ni)
    for (int64_t o = 0; o < g.o; ++o)
      for (int64_t oh = 0; oh < g.oh; ++oh)
        for (int64_t ow = 0; ow < g.ow; ++ow) {
          double acc = bias != nullptr ? bias[o] : 0.0;
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t kh = 0; kh < g.kh; ++kh)
              for (int64_t kw = 0; kw < g.kw; ++kw) {
                const int64_t ih = oh * g.stride_h - g.pad_h + kh * g.dilation_h;
                const int64_t iw = ow * g.stride_w - g.pad_w + kw * g.dilation_w;
                if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
                acc += static_cast<double>(x[static_cast<size_t>(((ni * g.c + o / og * cg + c) * g.h + ih) * g.w + iw)]) *
                       w[static_cast<size_t>(((o * cg + c) * g.kh + kh) * g.kw + kw)];
              }
          y[static_cast<size_t>(((ni * g.o + o) * g.oh + oh) * g.ow + ow)] = static_cast<float>(acc);
        }
  return y;
}

std::vector<float> plain_dense(int64_t n, int64_t k, int64_t m, const std::vector<float>& x,
                               const std::vector<float>& w, const float* bias) {
  std::vector<float> y(static_cast<size_t>(n * m));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t o = 0; o < m; ++o) {
      double acc = bias != nullptr ? bias[o] : 0.0;
      for (int64_t kk = 0; kk < k; ++kk)
        acc += static_cast<double>(x[static_cast<size_t>(i * k + kk)]) * w[static_cast<size_t>(o * k + kk)];
      y[static_cast<size_t>(i * m + o)] = static_cast<float>(acc);
    }
  return y;
}

// A third of the values are +-1, 2 or 3 times 2^30, the others random in
// (-1, 1) or (-2^-30, 2^-30). The large products are small multiples of
// 2^60 that often cancel exactly, while a small term added next to a large
// partial sum loses its low bits: which bits survive depends on the order
// of the sum, so a kernel that sums in another order (or in float) gets
// other results on many outputs.
std::vector<float> random_floats(std::mt19937& rng, int64_t count) {
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::uniform_int_distribution<int> kind(0, 2), small(1, 3), sign(0, 1);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& f : v) {
    const int k = kind(rng);
    f = k == 0 ? std::ldexp(static_cast<float>(sign(rng) != 0 ? small(rng) : -small(rng)), 30)
               : std::ldexp(unit(rng), k == 1 ? 0 : -30);
  }
  return v;
}

int64_t out_size(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dilation) {
  return (in + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
}

// Every (ISA level available here) x (no pool, a 2-thread pool).
template <typename Fn>
void for_each_exec(Fn&& fn) {
  fast::ThreadPool two(2);
  for (fast::Isa isa : fast::available_isas())
    for (fast::ThreadPool* pool : {static_cast<fast::ThreadPool*>(nullptr), &two}) {
      SCOPED_TRACE(std::string("isa ") + fast::isa_name(isa) + (pool != nullptr ? ", 2 threads" : ", 1 thread"));
      fn(FloatKernelExec{pool, isa});
    }
}

void expect_same_bits(const std::vector<float>& want, const std::vector<float>& got) {
  ASSERT_EQ(want.size(), got.size());
  size_t differ = 0;
  for (size_t i = 0; i < want.size(); ++i) differ += std::memcmp(&want[i], &got[i], sizeof(float)) != 0;
  EXPECT_EQ(differ, 0u) << "of " << want.size() << " values";
}

ConvGeometry geometry(int64_t n, int64_t c, int64_t h, int64_t w, int64_t o, int64_t kh, int64_t kw, int64_t groups,
                      int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, int64_t dil_h, int64_t dil_w) {
  ConvGeometry g;
  g.n = n, g.c = c, g.h = h, g.w = w, g.o = o, g.kh = kh, g.kw = kw, g.groups = groups;
  g.stride_h = stride_h, g.stride_w = stride_w, g.pad_h = pad_h, g.pad_w = pad_w;
  g.dilation_h = dil_h, g.dilation_w = dil_w;
  g.oh = out_size(h, kh, stride_h, pad_h, dil_h);
  g.ow = out_size(w, kw, stride_w, pad_w, dil_w);
  return g;
}

void check_conv(std::mt19937& rng, const ConvGeometry& g, bool with_bias) {
  SCOPED_TRACE("conv n=" + std::to_string(g.n) + " c=" + std::to_string(g.c) + " " + std::to_string(g.h) + "x" +
               std::to_string(g.w) + " o=" + std::to_string(g.o) + " k=" + std::to_string(g.kh) + "x" +
               std::to_string(g.kw) + " groups=" + std::to_string(g.groups));
  const std::vector<float> x = random_floats(rng, g.n * g.c * g.h * g.w);
  const std::vector<float> w = random_floats(rng, g.o * (g.c / g.groups) * g.kh * g.kw);
  const std::vector<float> bias = random_floats(rng, g.o);
  const float* b = with_bias ? bias.data() : nullptr;
  const std::vector<float> want = plain_conv(g, x, w, b);
  for_each_exec([&](const FloatKernelExec& exec) {
    std::vector<float> got(want.size(), -1.0f);
    conv2d_f32(g, x.data(), w.data(), b, got.data(), exec);
    expect_same_bits(want, got);
  });
}

TEST(FloatKernels, ConvEqualsThePlainLoopOnFixedShapes) {
  std::mt19937 rng(1);
  // Groups, stride, padding, dilation, odd sizes; K = 288 > one k-block
  // (256) and 2 * 144 columns > one column tile (128); O not a multiple of
  // the 6-row register tile.
  check_conv(rng, geometry(2, 6, 13, 11, 10, 3, 2, 2, 2, 1, 1, 0, 1, 2), true);
  check_conv(rng, geometry(2, 32, 12, 12, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1), true);
  check_conv(rng, geometry(1, 4, 9, 9, 4, 3, 3, 4, 1, 1, 1, 1, 1, 1), false);  // depthwise
  check_conv(rng, geometry(3, 5, 1, 17, 13, 1, 1, 1, 1, 3, 0, 0, 1, 1), true);  // 1x1, stride on W only
  check_conv(rng, geometry(1, 3, 8, 8, 5, 7, 7, 1, 2, 2, 3, 3, 1, 1), true);    // a 7x7 stem
}

TEST(FloatKernels, ConvEqualsThePlainLoopOnRandomShapes) {
  std::mt19937 rng(7);
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  for (int trial = 0; trial < 12; ++trial) {
    const int64_t groups = pick(1, 3), kh = pick(1, 3), kw = pick(1, 3), dil_h = pick(1, 2), dil_w = pick(1, 2);
    const int64_t h = pick((kh - 1) * dil_h + 1, 14), w = pick((kw - 1) * dil_w + 1, 14);
    check_conv(rng,
               geometry(pick(1, 3), groups * pick(1, 9), h, w, groups * pick(1, 9), kh, kw, groups, pick(1, 3),
                        pick(1, 3), pick(0, 2), pick(0, 2), dil_h, dil_w),
               trial % 3 != 0);
  }
}

TEST(FloatKernels, DenseEqualsThePlainLoop) {
  std::mt19937 rng(3);
  struct Case {
    int64_t n, k, m;
  };
  // K = 600 spans three k-blocks; N = 130 two column tiles.
  for (const Case& c : {Case{1, 1, 1}, Case{1, 600, 13}, Case{3, 17, 6}, Case{130, 5, 7}, Case{4, 300, 1}})
    for (bool with_bias : {true, false}) {
      SCOPED_TRACE("dense n=" + std::to_string(c.n) + " k=" + std::to_string(c.k) + " m=" + std::to_string(c.m));
      const std::vector<float> x = random_floats(rng, c.n * c.k), w = random_floats(rng, c.m * c.k);
      const std::vector<float> bias = random_floats(rng, c.m);
      const float* b = with_bias ? bias.data() : nullptr;
      const std::vector<float> want = plain_dense(c.n, c.k, c.m, x, w, b);
      for_each_exec([&](const FloatKernelExec& exec) {
        std::vector<float> got(want.size(), -1.0f);
        dense_f32(c.n, c.k, c.m, x.data(), w.data(), b, got.data(), exec);
        expect_same_bits(want, got);
      });
    }
}

TEST(FloatKernels, TheDefaultPoolGoesToOneCallerAtATime) {
  const DefaultFloatExec first;
  const DefaultFloatExec second;  // e.g. another thread running a model
  EXPECT_NE(first.exec().pool, nullptr);
  EXPECT_EQ(second.exec().pool, nullptr);
  EXPECT_EQ(first.exec().isa, fast::cpu_isa());
}

// Conv -> Relu -> (Reshape to (B, -1) or Transpose) -> Dense, batch 1, built
// as a canonical graph.
FloatGraph small_model(std::mt19937& rng, bool mixes_samples) {
  FloatGraph g;
  g.input = "x";
  g.input_shape = {1, 2, 6, 6};
  auto node = [&](const std::string& op, std::vector<std::string> inputs, const std::string& out) {
    FNode n;
    n.op = op;
    n.name = out;
    n.inputs = std::move(inputs);
    n.output = out;
    g.nodes.push_back(n);
    return &g.nodes.back();
  };
  g.constants["w"] = FTensor{{3, 2, 3, 3}, random_floats(rng, 3 * 2 * 3 * 3)};
  g.constants["b"] = FTensor{{3}, random_floats(rng, 3)};
  FNode* conv = node("Conv", {"x", "w", "b"}, "conv");
  conv->attrs["strides"].ints = {1, 1};
  conv->attrs["pads"].ints = {1, 1};
  node("Relu", {"conv"}, "relu");
  if (mixes_samples) {
    // (1, 108) -> (108, 1): the batch moves to dimension 1.
    node("Reshape", {"relu"}, "flat")->attrs["shape"].ints = {0, -1};
    node("Transpose", {"flat"}, "t")->attrs["perm"].ints = {1, 0};
    node("Reshape", {"t"}, "back")->attrs["shape"].ints = {1, 108};
  } else {
    node("Reshape", {"relu"}, "back")->attrs["shape"].ints = {1, -1};
  }
  g.constants["fc"] = FTensor{{4, 108}, random_floats(rng, 4 * 108)};
  node("Dense", {"back", "fc"}, "y");
  g.outputs = {"y"};
  return g;
}

void check_batched_calibration(bool mixes_samples, int64_t want_runs) {
  std::mt19937 rng(5);
  const FloatGraph g = small_model(rng, mixes_samples);
  const FTensor data{{7, 2, 6, 6}, random_floats(rng, 7 * 2 * 6 * 6)};
  float max_abs = 0;
  for (float v : data.data) max_abs = std::max(max_abs, std::fabs(v));
  for (RangeMethod method : {RangeMethod::kMaxAbs, RangeMethod::kPercentile}) {
    const Ranges one = calibrate(g, data, method, 90.0, {}, 1);
    int64_t runs = 0;
    const Ranges three = calibrate(g, data, method, 90.0, [&](int64_t, int64_t) { ++runs; }, 3);
    EXPECT_EQ(one.range, three.range);
    EXPECT_EQ(one.shape, three.shape);
    EXPECT_EQ(three.samples, 7);
    EXPECT_EQ(three.shape.at("y"), (Shape{1, 4}));
    if (method == RangeMethod::kMaxAbs) {
      EXPECT_EQ(three.range.at("x"), static_cast<double>(max_abs));
    }
    EXPECT_EQ(runs, want_runs * (method == RangeMethod::kMaxAbs ? 1 : 2));
  }
}

TEST(quantize_calibrate_batches, several_batches_per_run_give_the_same_ranges) {
  check_batched_calibration(false, 3);  // samples 0-2, 3-5 together, then 6 alone
}

TEST(quantize_calibrate_batches, a_graph_that_moves_the_batch_runs_one_batch_at_a_time) {
  check_batched_calibration(true, 7);
}

}  // namespace
}  // namespace cvm::quant
