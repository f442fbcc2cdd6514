// Per-channel weight scales and the quantization-error report
// (docs/quantizer.rst, "Per-channel weight scales", "Quantization error
// report"), on a 3x3 conv whose output channels' weights are 1 : 0.01 : 0.1
// apart: the expected values come from float loops written here.
#include <gtest/gtest.h>

#include <algorithm>
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
#include "tools/quantize/layer_error.h"
#include "tools/quantize/lower.h"
#include "tools/quantize/onnx_import.h"
#include "tools/quantize/scale.h"
#include "tools/quantize/simplify.h"

namespace cvm::quant {
namespace {

using test::OnnxBuilder;

constexpr int64_t kIn = 2, kOut = 3, kH = 5, kW = 5, kTaps = kIn * 9;

// Uniform in [-1, 1) from the engine's raw output (the same everywhere).
std::vector<float> uniform(std::mt19937& rng, size_t n) {
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(rng() / 2147483648.0 - 1.0);
  return v;
}

struct ConvCase {
  std::vector<float> w, b;  // (3, 2, 3, 3), (3)
  FTensor calib;            // (8, 2, 5, 5)
};

// Channel o's weights are uniform times magnitude[o].
ConvCase make_case(const std::vector<float>& magnitude) {
  std::mt19937 rng(11);
  ConvCase c;
  c.w = uniform(rng, kOut * kTaps);
  for (size_t i = 0; i < c.w.size(); ++i) c.w[i] *= magnitude[i / kTaps];
  c.b = uniform(rng, kOut);
  for (size_t o = 0; o < c.b.size(); ++o) c.b[o] *= 0.1f * magnitude[o];
  c.calib = FTensor{{8, kIn, kH, kW}, uniform(rng, 8 * kIn * kH * kW)};
  return c;
}

FloatGraph conv_graph(const ConvCase& c, bool relu) {
  OnnxBuilder b({1, kIn, kH, kW}, {1, kOut, kH, kW});
  b.constant("w", {kOut, kIn, 3, 3}, c.w);
  b.constant("b", {kOut}, c.b);
  OnnxBuilder::ints(b.node("Conv", "conv", {"x", "w", "b"}, relu ? "c" : "y"), "pads", {1, 1, 1, 1});
  if (relu) b.node("Relu", "relu", {"c"}, "y");
  FloatGraph g = import_onnx(b.bytes());
  simplify(g);
  return g;
}

// The 3x3, pad 1 conv of sample `x` (1, 2, 5, 5), in plain loops; with `abs`
// the same sum of |w| * |x| (for the error bound).
std::vector<double> conv(const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>& b,
                         bool abs) {
  std::vector<double> y(kOut * kH * kW);
  for (int64_t o = 0; o < kOut; ++o)
    for (int64_t i = 0; i < kH; ++i)
      for (int64_t j = 0; j < kW; ++j) {
        double s = abs ? 0.0 : b[o];
        for (int64_t c = 0; c < kIn; ++c)
          for (int64_t di = 0; di < 3; ++di)
            for (int64_t dj = 0; dj < 3; ++dj) {
              const int64_t ii = i + di - 1, jj = j + dj - 1;
              if (ii < 0 || ii >= kH || jj < 0 || jj >= kW) continue;
              const double xv = x[(c * kH + ii) * kW + jj], wv = w[((o * kIn + c) * 3 + di) * 3 + dj];
              s += abs ? std::fabs(xv) * std::fabs(wv) : xv * wv;
            }
        y[(o * kH + i) * kW + j] = s;
      }
  return y;
}

// The integer model's output for sample `i`, dequantized; the input
// quantized here as docs/quantizer.rst says: clip(round(x * S), -127, 127).
std::vector<double> run_int(const QuantizedModel& q, const FTensor& calib, int64_t i) {
  const auto model = Model::load(write_graph_json(q.graph), write_params(q.params));
  Runtime rt(model, reference_backend());
  const FTensor x = slice_samples(calib, i, 1);
  std::vector<int32_t> qx;
  for (float v : x.data) qx.push_back(static_cast<int32_t>(std::clamp(std::round(v * q.input_scale), -127.0, 127.0)));
  const Tensor y = rt.run(Tensor{{1, kIn, kH, kW}, 8, qx}).at(0);
  std::vector<double> out;
  for (int32_t v : y.data) out.push_back(v / q.output_scale);
  return out;
}

QuantizedModel lower_case(const ConvCase& c, bool relu, PerChannel mode) {
  const FloatGraph g = conv_graph(c, relu);
  QuantOptions o;
  o.per_channel = mode;
  return lower(g, calibrate(g, c.calib, RangeMethod::kMaxAbs, 100), o);
}

bool certified(const QuantizedModel& q) {
  return certify(*Model::load(write_graph_json(q.graph), write_params(q.params))).certified;
}

const ParamArray& param_named(const QuantizedModel& q, const std::string& name) {
  for (const ParamArray& p : q.params)
    if (p.name == name) return p;
  throw std::runtime_error("no param " + name);
}

// The relative L2 error of channel o over the calibration samples.
double channel_error(const QuantizedModel& q, const ConvCase& c, int64_t o) {
  double err = 0, norm = 0;
  for (int64_t i = 0; i < c.calib.shape[0]; ++i) {
    const std::vector<double> f = conv(slice_samples(c.calib, i, 1).data, c.w, c.b, false), y = run_int(q, c.calib, i);
    for (int64_t k = o * kH * kW; k < (o + 1) * kH * kW; ++k) {
      err += (f[k] - y[k]) * (f[k] - y[k]);
      norm += f[k] * f[k];
    }
  }
  return std::sqrt(err / norm);
}

TEST(per_channel, channel_scales_meet_at_one_common_scale_without_saturating) {
  // Ranges 2 : 0.02 : 0.5 with 12-bit multipliers: the largest channel gets
  // R(12) = 2047, the others ceil(2047 * r / 2) = ceil(20.47), ceil(511.75).
  const ChannelScales cs = plan_channel_scales({2.0, 0.02, 0.5}, 8, 12);
  EXPECT_EQ(cs.multiplier, (std::vector<int32_t>{2047, 21, 512}));
  EXPECT_DOUBLE_EQ(cs.weight_scale[0], 127 / 2.0);  // the per-tensor scale
  const std::vector<double> range = {2.0, 0.02, 0.5};
  for (size_t o = 0; o < 3; ++o) {
    EXPECT_DOUBLE_EQ(cs.weight_scale[o] * cs.multiplier[o], 127 / 2.0 * 2047);
    EXPECT_LE(cs.weight_scale[o] * range[o], 127.0);         // no weight saturates
    EXPECT_GE(cs.weight_scale[o] * range[o], 127.0 * 0.95);  // and the scale is near the channel's own
  }
}

TEST(per_channel, auto_picks_it_for_unequal_channels_and_it_cuts_the_small_channels_error) {
  const ConvCase c = make_case({1.0f, 0.01f, 0.1f});
  const QuantizedModel pc = lower_case(c, false, PerChannel::kAuto), pt = lower_case(c, false, PerChannel::kOff);
  ASSERT_EQ(pc.layers.size(), 1u);
  EXPECT_TRUE(pc.layers[0].per_channel);
  EXPECT_FALSE(pt.layers[0].per_channel);
  EXPECT_TRUE(certified(pc));
  EXPECT_TRUE(certified(pt));
  // The weight error both ways, as one scale per tensor / per channel at the
  // channel's own R(8) / max |w| would give it (the planned channel scales
  // are within 5% of those, so within 5% of this error, and the rounding
  // error of a half step is bounded by the step either way).
  double max_w = 0, e_pt = 0, e_pc = 0, norm = 0;
  std::vector<double> max_o(kOut, 0.0);
  for (size_t k = 0; k < c.w.size(); ++k) {
    max_w = std::max(max_w, std::fabs(static_cast<double>(c.w[k])));
    max_o[k / kTaps] = std::max(max_o[k / kTaps], std::fabs(static_cast<double>(c.w[k])));
  }
  for (size_t k = 0; k < c.w.size(); ++k) {
    const double w = c.w[k], st = 127 / max_w, sc = 127 / max_o[k / kTaps];
    e_pt += std::pow(w - std::round(w * st) / st, 2);
    e_pc += std::pow(w - std::round(w * sc) / sc, 2);
    norm += w * w;
  }
  EXPECT_NEAR(pc.layers[0].weight_error_tensor, std::sqrt(e_pt / norm), 1e-12);
  EXPECT_LE(pc.layers[0].weight_error_channel, 1.5 * std::sqrt(e_pc / norm));
  EXPECT_LT(pc.layers[0].weight_error_channel, kPerChannelGain * pc.layers[0].weight_error_tensor);
  // The 100x smaller channel: its weights round to a few levels per tensor
  // (|w| <= 0.01, step 1/127), to about 127 per channel.
  EXPECT_LT(channel_error(pc, c, 1), 0.25 * channel_error(pt, c, 1));
  EXPECT_LT(channel_error(pc, c, 2), 0.5 * channel_error(pt, c, 2));
  // Every output within the rounding bound: the input off by <= 0.5 / S_x,
  // each weight by <= 0.5 / S_w[o] <= 1 / (127 / max |w_o|) (S_w[o] >= half
  // the channel's own scale, as its multiplier is >= 2), the bias by half a
  // step of S_x * S_w[o], and the output's two roundings (>> pre, >> shift)
  // by <= 1 / S_out.
  const double sx = pc.input_scale;
  for (int64_t i = 0; i < c.calib.shape[0]; ++i) {
    const FTensor sample = slice_samples(c.calib, i, 1);
    const std::vector<float>& x = sample.data;
    std::vector<float> abs_x(x.size());
    for (size_t k = 0; k < x.size(); ++k) abs_x[k] = std::fabs(x[k]);
    const std::vector<float> ones_x(x.size(), 1.0f), ones_w(c.w.size(), 1.0f);
    const std::vector<double> f = conv(x, c.w, c.b, false), y = run_int(pc, c.calib, i);
    // Per output element, over the taps inside the image: sum |w|, sum |x|
    // and the number of taps.
    const std::vector<double> wx = conv(ones_x, c.w, c.b, true), xs = conv(abs_x, ones_w, c.b, true),
                              n = conv(ones_x, ones_w, c.b, true);
    for (size_t k = 0; k < f.size(); ++k) {
      const double dw = max_o[k / (kH * kW)] / 127;
      const double bound = wx[k] * 0.5 / sx + (xs[k] + n[k] * 0.5 / sx) * dw + dw / sx + 1 / pc.output_scale;
      EXPECT_LE(std::fabs(f[k] - y[k]), bound) << "sample " << i << " element " << k;
    }
  }
}

TEST(per_channel, off_gives_the_per_tensor_model_and_auto_keeps_it_for_alike_channels) {
  const ConvCase c = make_case({1.0f, 1.0f, 1.0f});
  const QuantizedModel off = lower_case(c, false, PerChannel::kOff);
  EXPECT_FALSE(off.layers[0].per_channel);
  // One weight scale R(8) / max |w|, the bias at S_x * S_w, no multipliers.
  double max_w = 0;
  for (float v : c.w) max_w = std::max(max_w, std::fabs(static_cast<double>(v)));
  const double sw = 127 / max_w;
  const ParamArray& w = param_named(off, "conv.weight");
  for (size_t k = 0; k < c.w.size(); ++k) EXPECT_EQ(w.data[k], std::lround(c.w[k] * sw)) << k;
  const ParamArray& b = param_named(off, "conv.bias");
  for (size_t o = 0; o < c.b.size(); ++o) EXPECT_EQ(b.data[o], std::lround(c.b[o] * (off.input_scale * sw))) << o;
  EXPECT_DOUBLE_EQ(off.output_scale, off.input_scale * sw);
  for (const ParamArray& p : off.params) EXPECT_EQ(p.name.find("multiplier"), std::string::npos) << p.name;
  // Alike channels: per-channel scales would not cut the error, auto keeps
  // the per-tensor model bit for bit.
  const QuantizedModel a = lower_case(c, false, PerChannel::kAuto);
  EXPECT_FALSE(a.layers[0].per_channel);
  EXPECT_EQ(write_graph_json(a.graph), write_graph_json(off.graph));
  EXPECT_EQ(write_params(a.params), write_params(off.params));
  // on: per-channel anyway, and still certified.
  const QuantizedModel on = lower_case(c, false, PerChannel::kOn);
  EXPECT_TRUE(on.layers[0].per_channel);
  EXPECT_TRUE(certified(on));
}

TEST(error_report, matches_a_float_loop_on_the_first_samples) {
  const ConvCase c = make_case({1.0f, 0.01f, 0.1f});
  const FloatGraph g = conv_graph(c, true);
  const QuantizedModel q =
      lower(g, calibrate(g, c.calib, RangeMethod::kMaxAbs, 100), QuantOptions{.per_channel = PerChannel::kAuto, .nms = {}});
  const auto model = Model::load(write_graph_json(q.graph), write_params(q.params));
  const ErrorReport e = measure_errors(g, q, model, reference_backend(), c.calib, 2);
  EXPECT_EQ(e.samples, 2);
  ASSERT_EQ(e.layers.size(), 2u);  // conv, relu
  double err = 0, norm = 0, max_abs = 0;
  for (int64_t i = 0; i < 2; ++i) {
    const std::vector<double> f = conv(slice_samples(c.calib, i, 1).data, c.w, c.b, false), y = run_int(q, c.calib, i);
    for (size_t k = 0; k < f.size(); ++k) {
      const double d = std::max(f[k], 0.0) - y[k];
      err += d * d;
      norm += std::max(f[k], 0.0) * std::max(f[k], 0.0);
      max_abs = std::max(max_abs, std::fabs(d));
    }
  }
  for (const TensorError& t : {e.output, e.layers[1]}) {
    EXPECT_TRUE(t.measured);
    // (The executor's float32 tensors against double loops: 1e-3 relative.)
    EXPECT_NEAR(t.rel_l2, std::sqrt(err / norm), 1e-3 * std::sqrt(err / norm));
    EXPECT_NEAR(t.max_abs, max_abs, 1e-3 * max_abs);
  }
  EXPECT_TRUE(e.layers[0].measured);
  EXPECT_GT(e.layers[0].rel_l2, 0.0);
  EXPECT_EQ(measure_errors(g, q, model, reference_backend(), c.calib, 0).samples, 0);
}

}  // namespace
}  // namespace cvm::quant
