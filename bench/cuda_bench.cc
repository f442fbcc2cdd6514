// The CUDA backend on the GPU (built only with CUDA; every benchmark reports
// an error and skips without a device):
//
//   build/bench/cvm_bench --benchmark_filter=cuda
//
// - cuda_resnet18/batch:1 and /batch:64: the ResNet-18-shaped model
//   (tools/make_examples/resnet18.h) end to end through the engine, input
//   upload and output download included, with epilogue chains run as
//   separate nodes (fused:0) and fused into the conv2d/dense launches
//   (fused:1, cuda::fuse_epilogues), the GEMM in 32-deep (deep:0) or 64-deep
//   slices (deep:1, cuda::use_deep_slices);
// - cuda_conv2d/layer:<i>/deep:<0|1>: the distinct conv2d layers of that
//   model at batch 64, the kernel alone (weights packed once, device buffers
//   prepared, timed with CUDA events over repeated launches), in 32- and
//   64-deep slices.
//
// Counters: GMAC/s and peak_fraction, the fraction of the card's int8
// tensor-core peak: CVM_INT8_PEAK_TMACS (tera multiply-adds per second),
// default 989.5 = the H100 SXM's 1979 dense int8 TOPS (H100 PCIe: 756.5,
// H200: 989.5).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>

#include "cuda/gemm_int8.h"
#include "cuda/kernel.h"
#include "cvm/backend.h"
#include "cvm/npy.h"
#include "cvm/runtime.h"
#include "cvm/validate.h"
#include "resnet18.h"

namespace cvm::bench {
namespace {

double peak_macs_per_second() {
  const char* s = std::getenv("CVM_INT8_PEAK_TMACS");
  const double tmacs = s != nullptr ? std::atof(s) : 989.5;
  return (tmacs > 0 ? tmacs : 989.5) * 1e12;
}

void counters(benchmark::State& state, double macs, double seconds_per_run) {
  state.counters["GMAC/s"] = macs / seconds_per_run / 1e9;
  state.counters["peak_fraction"] = macs / seconds_per_run / peak_macs_per_second();
}

void BM_cuda_resnet18(benchmark::State& state) {
  const Backend* cuda = find_backend("cuda");
  if (cuda == nullptr) {
    state.SkipWithError("no CUDA device present");
    return;
  }
  const examples::ResNetModel m = examples::make_resnet18(state.range(0));
  const auto model = Model::load(m.files.symbol, m.files.params);
  const NpyArray x = parse_npy(m.files.input_npy, "input");
  const Tensor input = make_input(*model, x.shape, x.data);
  Runtime runtime(model, *cuda);
  const bool was_fused = cuda::epilogues_fused(), was_deep = cuda::deep_slices_used();
  cuda::fuse_epilogues(state.range(1) != 0);
  cuda::use_deep_slices(state.range(2) != 0);
  runtime.run(input);  // warm-up: module load, first launches, graph capture
  double total = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(runtime.run(input));
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  cuda::fuse_epilogues(was_fused);
  cuda::use_deep_slices(was_deep);
  counters(state, static_cast<double>(m.macs), total / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_cuda_resnet18)
    ->ArgNames({"batch", "fused", "deep"})
    ->ArgsProduct({{1, 64}, {0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

struct ConvLayer {
  const char* name;
  int64_t c, hw, o, k, stride, pad;
};
// The distinct conv2d shapes of ResNet-18 (input channels, input size,
// output channels, kernel, stride, padding).
constexpr ConvLayer kLayers[] = {
    {"conv1_7x7", 3, 224, 64, 7, 2, 3},       {"layer1_3x3", 64, 56, 64, 3, 1, 1},
    {"layer2_3x3_s2", 64, 56, 128, 3, 2, 1},  {"layer2_3x3", 128, 28, 128, 3, 1, 1},
    {"layer2_1x1_s2", 64, 56, 128, 1, 2, 0},  {"layer3_3x3", 256, 14, 256, 3, 1, 1},
    {"layer4_3x3", 512, 7, 512, 3, 1, 1},
};

void BM_cuda_conv2d(benchmark::State& state) {
  const ConvLayer& l = kLayers[state.range(0)];
  state.SetLabel(l.name);
  if (!cuda::device_present()) {
    state.SkipWithError("no CUDA device present");
    return;
  }
  const int64_t n = 64;
  const AttrMap attrs = {{"channels", std::to_string(l.o)},
                         {"kernel_size", "(" + std::to_string(l.k) + ", " + std::to_string(l.k) + ")"},
                         {"strides", "(" + std::to_string(l.stride) + ", " + std::to_string(l.stride) + ")"},
                         {"padding", "(" + std::to_string(l.pad) + ", " + std::to_string(l.pad) + ")"},
                         {"use_bias", "false"}};
  const Types types = {TensorType{{n, l.c, l.hw, l.hw}, 8}, TensorType{{l.o, l.c, l.k, l.k}, 8}};
  const ValidatedOp v = validate_op("conv2d", attrs, types);
  Tensor w{types[1].shape, 8, std::vector<int32_t>(static_cast<size_t>(shape_size(types[1].shape)))};
  for (size_t i = 0; i < w.data.size(); ++i) w.data[i] = static_cast<int32_t>(i * 37 % 255) - 127;
  std::vector<int32_t> xs(static_cast<size_t>(shape_size(types[0].shape)));
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<int32_t>(i * 53 % 255) - 127;
  cuda::NodeSpec spec{.op = v.op, .attrs = v.attrs, .inputs = types, .outputs = v.outputs,
                      .constants = {nullptr, &w}};
  const auto kernel = cuda::find_kernel("conv2d")(spec);
  cuda::DeviceBuffer xb = cuda::upload(xs.data(), xs.size() * 4), wb = cuda::upload(w.data.data(), w.data.size() * 4);
  cuda::DeviceBuffer yb(static_cast<size_t>(shape_size(v.outputs[0].shape)) * 4);
  const cuda::DeviceInputs in = {{xb.as<int32_t>(), types[0]}, {wb.as<int32_t>(), types[1]}};
  const cuda::DeviceOutputs out = {{yb.as<int32_t>(), v.outputs[0]}};
  cudaStream_t stream;
  cuda::check_cuda(cudaStreamCreate(&stream), "stream");
  cudaEvent_t start, stop;
  cuda::check_cuda(cudaEventCreate(&start), "event");
  cuda::check_cuda(cudaEventCreate(&stop), "event");
  const bool was_deep = cuda::deep_slices_used();
  cuda::use_deep_slices(state.range(1) != 0);
  kernel->launch(in, out, stream);  // warm-up
  const int64_t oh = v.outputs[0].shape[2], ow = v.outputs[0].shape[3];
  const double macs = static_cast<double>(n * l.o * oh * ow * l.c * l.k * l.k);
  double total = 0;
  for (auto _ : state) {
    constexpr int kLaunches = 20;
    cuda::check_cuda(cudaEventRecord(start, stream), "record");
    for (int i = 0; i < kLaunches; ++i) kernel->launch(in, out, stream);
    cuda::check_cuda(cudaEventRecord(stop, stream), "record");
    cuda::check_cuda(cudaEventSynchronize(stop), "sync");
    float ms = 0;
    cuda::check_cuda(cudaEventElapsedTime(&ms, start, stop), "elapsed");
    state.SetIterationTime(ms / 1e3 / kLaunches);
    total += ms / 1e3 / kLaunches;
  }
  cuda::use_deep_slices(was_deep);
  counters(state, macs, total / static_cast<double>(state.iterations()));
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  cudaStreamDestroy(stream);
}
BENCHMARK(BM_cuda_conv2d)
    ->ArgNames({"layer", "deep"})
    ->ArgsProduct({benchmark::CreateDenseRange(0, 6, 1), {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime();

}  // namespace
}  // namespace cvm::bench
