// The quantizer's float calibration (tools/quantize/calibrate.h) on
// ResNet-18- and ResNet-50-shaped float graphs at 3x224x224 (built here,
// random He-scaled weights: the speed does not depend on the values):
//
//   build/bench/cvm_bench --benchmark_filter=float_calibration
//
// old: the straight double-accumulator loops that float_exec.cc ran before
// float_kernels.h, on every conv and dense layer of one image (the other
// ops are left out, so old is if anything too fast). new: run_float on the
// whole graph (all ops), on a graph of batch 1, 4 or 8. calibrate:
// calibrate() over 32 images, 1 or 4 batches per executor run, with its
// projection to 512 images (ResNet-50: the target of issue 25 is under
// 300 s on this project's 2-core machine).
// Counters: ms_per_image, GMAC/s (conv + dense MACs), and on new the
// speedup over old measured in the same process.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <utility>

#include "tools/quantize/calibrate.h"
#include "tools/quantize/float_exec.h"

namespace cvm::bench {
namespace {

using quant::FAttr;
using quant::FloatGraph;
using quant::FNode;
using quant::FTensor;

// Builds a canonical (post-simplify) ResNet graph node by node.
class ResNetBuilder {
 public:
  explicit ResNetBuilder(int64_t batch) : rng_(5) {
    g_.input = "input";
    g_.input_shape = {batch, 3, 224, 224};
  }

  std::string conv(const std::string& x, int64_t cin, int64_t cout, int64_t k, int64_t stride, int64_t pad,
                   int64_t out_hw) {
    const std::string name = "conv" + std::to_string(++count_);
    std::normal_distribution<float> normal(0.0f, std::sqrt(2.0f / static_cast<float>(cin * k * k)));
    FTensor w{{cout, cin, k, k}, std::vector<float>(static_cast<size_t>(cout * cin * k * k))};
    for (float& v : w.data) v = normal(rng_);
    g_.constants[name + ".w"] = std::move(w);
    g_.constants[name + ".b"] = FTensor{{cout}, std::vector<float>(static_cast<size_t>(cout), 0.01f)};
    FNode n = node("Conv", name, {x, name + ".w", name + ".b"});
    n.attrs["strides"].ints = {stride, stride};
    n.attrs["pads"].ints = {pad, pad};
    n.attrs["group"].i = 1;
    macs_ += cout * cin * k * k * out_hw * out_hw;
    return add(std::move(n));
  }
  std::string relu(const std::string& x) { return add(node("Relu", "relu" + std::to_string(++count_), {x})); }
  std::string sum(const std::string& a, const std::string& b) {
    return add(node("Add", "add" + std::to_string(++count_), {a, b}));
  }
  std::string max_pool(const std::string& x) {
    FNode n = node("MaxPool", "pool" + std::to_string(++count_), {x});
    n.attrs["kernel_shape"].ints = {3, 3};
    n.attrs["strides"].ints = {2, 2};
    n.attrs["pads"].ints = {1, 1};
    return add(std::move(n));
  }
  std::string head(const std::string& x, int64_t features) {
    const std::string pooled = add(node("GlobalAveragePool", "gap", {x}));
    FNode f = node("Flatten", "flatten", {pooled});
    f.attrs["axis"].i = 1;
    const std::string flat = add(std::move(f));
    std::normal_distribution<float> normal(0.0f, std::sqrt(1.0f / static_cast<float>(features)));
    FTensor w{{1000, features}, std::vector<float>(static_cast<size_t>(1000 * features))};
    for (float& v : w.data) v = normal(rng_);
    g_.constants["fc.w"] = std::move(w);
    g_.constants["fc.b"] = FTensor{{1000}, std::vector<float>(1000, 0.0f)};
    macs_ += 1000 * features;
    const std::string out = add(node("Dense", "fc", {flat, "fc.w", "fc.b"}));
    g_.outputs = {out};
    return out;
  }

  FloatGraph graph() const { return g_; }
  int64_t macs() const { return macs_; }

 private:
  static FNode node(const std::string& op, const std::string& name, std::vector<std::string> inputs) {
    FNode n;
    n.op = op;
    n.name = name;
    n.inputs = std::move(inputs);
    n.output = name;
    return n;
  }
  std::string add(FNode n) {
    const std::string out = n.output;
    g_.nodes.push_back(std::move(n));
    return out;
  }

  FloatGraph g_;
  std::mt19937 rng_;
  int count_ = 0;
  int64_t macs_ = 0;
};

struct Net {
  FloatGraph graph;
  int64_t macs = 0;  // per image
};

// ResNet-18/34-style basic blocks ({2,2,2,2}) or ResNet-50 bottlenecks
// ({3,4,6,3}, expansion 4), torchvision's layout (stride on the 3x3).
Net make_resnet(int depth, int64_t batch) {
  ResNetBuilder b(batch);
  std::string x = b.relu(b.conv("input", 3, 64, 7, 2, 3, 112));
  x = b.max_pool(x);
  const bool bottleneck = depth == 50;
  const int blocks[4] = {bottleneck ? 3 : 2, bottleneck ? 4 : 2, bottleneck ? 6 : 2, bottleneck ? 3 : 2};
  int64_t cin = 64, hw = 56;
  for (int stage = 0; stage < 4; ++stage) {
    const int64_t width = 64 << stage, cout = bottleneck ? width * 4 : width;
    for (int i = 0; i < blocks[stage]; ++i) {
      const int64_t stride = stage > 0 && i == 0 ? 2 : 1, out_hw = hw / stride;
      std::string y;
      if (bottleneck) {
        y = b.relu(b.conv(x, cin, width, 1, 1, 0, hw));
        y = b.relu(b.conv(y, width, width, 3, stride, 1, out_hw));
        y = b.conv(y, width, cout, 1, 1, 0, out_hw);
      } else {
        y = b.relu(b.conv(x, cin, cout, 3, stride, 1, out_hw));
        y = b.conv(y, cout, cout, 3, 1, 1, out_hw);
      }
      const std::string shortcut = stride != 1 || cin != cout ? b.conv(x, cin, cout, 1, stride, 0, out_hw) : x;
      x = b.relu(b.sum(y, shortcut));
      cin = cout;
      hw = out_hw;
    }
  }
  b.head(x, cin);
  return Net{b.graph(), b.macs()};
}

const Net& net(int depth, int64_t batch = 1) {
  static std::map<std::pair<int, int64_t>, Net> cache;
  auto it = cache.find({depth, batch});
  if (it == cache.end()) it = cache.emplace(std::make_pair(depth, batch), make_resnet(depth, batch)).first;
  return it->second;
}

FTensor images(int64_t count) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-2.0f, 2.0f);
  FTensor t{{count, 3, 224, 224}, std::vector<float>(static_cast<size_t>(count * 3 * 224 * 224))};
  for (float& v : t.data) v = u(rng);
  return t;
}

// The loops float_exec.cc ran before float_kernels.h (groups 1, square).
void old_conv(const FTensor& x, const FTensor& w, const FTensor& b, int64_t stride, int64_t pad, FTensor& y) {
  const int64_t C = x.shape[1], H = x.shape[2], W = x.shape[3], O = w.shape[0], K = w.shape[2];
  const int64_t OH = y.shape[2], OW = y.shape[3];
  for (int64_t o = 0; o < O; ++o)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        double acc = b.data[static_cast<size_t>(o)];
        for (int64_t c = 0; c < C; ++c)
          for (int64_t kh = 0; kh < K; ++kh) {
            const int64_t ih = oh * stride - pad + kh;
            if (ih < 0 || ih >= H) continue;
            for (int64_t kw = 0; kw < K; ++kw) {
              const int64_t iw = ow * stride - pad + kw;
              if (iw < 0 || iw >= W) continue;
              acc += static_cast<double>(x.data[static_cast<size_t>((c * H + ih) * W + iw)]) *
                     w.data[static_cast<size_t>(((o * C + c) * K + kh) * K + kw)];
            }
          }
        y.data[static_cast<size_t>((o * OH + oh) * OW + ow)] = static_cast<float>(acc);
      }
}

std::map<int, double> g_old_ms;  // per image, by depth

void BM_float_calibration_old(benchmark::State& state) {
  const Net& n = net(static_cast<int>(state.range(0)));
  // Every layer's input shape, from one run of the graph.
  std::map<std::string, Shape> shapes;
  quant::run_float(n.graph, images(1), [&](const std::string& name, const FTensor& t) { shapes[name] = t.shape; });
  double seconds = 0;
  for (auto _ : state) {
    for (const FNode& node : n.graph.nodes) {
      if (node.op != "Conv" && node.op != "Dense") continue;
      const Shape& in = shapes.at(node.inputs[0]);
      const FTensor& w = n.graph.constants.at(node.inputs[1]);
      const FTensor& b = n.graph.constants.at(node.inputs[2]);
      const FTensor x{in, std::vector<float>(static_cast<size_t>(quant::element_count(in)), 0.5f)};
      FTensor y{shapes.at(node.output), std::vector<float>(static_cast<size_t>(quant::element_count(shapes.at(node.output))))};
      const auto t0 = std::chrono::steady_clock::now();
      if (node.op == "Conv") {
        old_conv(x, w, b, node.ints_attr("strides", {1, 1})[0], node.ints_attr("pads", {0, 0})[0], y);
      } else {  // Dense as a 1x1 conv on a 1x1 image
        FTensor x4{{1, in[1], 1, 1}, x.data}, w4{{w.shape[0], w.shape[1], 1, 1}, w.data}, y4{{1, w.shape[0], 1, 1}, {}};
        y4.data.resize(static_cast<size_t>(w.shape[0]));
        old_conv(x4, w4, b, 1, 0, y4);
      }
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      benchmark::DoNotOptimize(y.data.data());
    }
  }
  const double ms = seconds * 1e3 / static_cast<double>(state.iterations());
  g_old_ms[static_cast<int>(state.range(0))] = ms;
  state.counters["ms_per_image"] = ms;
  state.counters["GMAC/s"] = static_cast<double>(n.macs) / (ms * 1e6);
}

void BM_float_calibration_new(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  const int64_t batch = state.range(1);
  const Net& n = net(depth, batch);
  const FTensor x = images(batch);
  double seconds = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(quant::run_float(n.graph, x).data.data());
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const double ms = seconds * 1e3 / static_cast<double>(state.iterations() * batch);
  state.counters["ms_per_image"] = ms;
  state.counters["GMAC/s"] = static_cast<double>(n.macs) / (ms * 1e6);
  if (g_old_ms.count(depth) != 0) state.counters["speedup"] = g_old_ms[depth] / ms;
}

void BM_float_calibration_calibrate(benchmark::State& state) {
  const Net& n = net(static_cast<int>(state.range(0)));
  constexpr int64_t kImages = 32;
  const FTensor x = images(kImages);
  double seconds = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const quant::Ranges r = quant::calibrate(n.graph, x, quant::RangeMethod::kMaxAbs, 0, {}, state.range(1));
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    benchmark::DoNotOptimize(r.samples);
  }
  const double per_image = seconds / static_cast<double>(state.iterations() * kImages);
  state.counters["ms_per_image"] = per_image * 1e3;
  state.counters["projected_512_s"] = per_image * 512;
  state.counters["GMAC/s"] = static_cast<double>(n.macs) / (per_image * 1e9);
}

BENCHMARK(BM_float_calibration_old)->Arg(18)->Arg(50)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_float_calibration_new)->Args({18, 1})->Args({50, 1})->Args({50, 4})->Args({50, 8})->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_float_calibration_calibrate)->Args({18, 1})->Args({18, 4})->Args({50, 1})->Args({50, 4})->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cvm::bench
