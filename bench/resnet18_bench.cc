// The ResNet-18-shaped model (tools/make_examples/resnet18.h) end to end:
// reference, and fast with 1 and 2 threads, in one run (with 2 threads also
// capped at AVX2, to show what the AVX-512 VNNI micro-kernel adds).
//
//   build/bench/cvm_bench --benchmark_filter=resnet18
//
// Counters: GMAC/s of the conv2d and dense layers (1.81 GMAC per image), and
// on the fast runs `speedup` over the reference time measured in the same
// process (the reference benchmark runs first; without it the counter is 0),
// and peak_fraction of bench/cpu_peak.h's measured peak for the level and
// thread count.
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <memory>

#include "cpu_peak.h"
#include "cvm/backend.h"
#include "cvm/npy.h"
#include "cvm/runtime.h"
#include "resnet18.h"

namespace cvm::bench {
namespace {

struct Loaded {
  std::shared_ptr<const Model> model;
  Tensor input;
  int64_t macs = 0;
};

const Loaded& resnet(int64_t batch) {
  static std::map<int64_t, Loaded> cache;
  Loaded& l = cache[batch];
  if (!l.model) {
    const examples::ResNetModel m = examples::make_resnet18(batch);
    l.model = Model::load(m.files.symbol, m.files.params);
    const NpyArray x = parse_npy(m.files.input_npy, "input");
    l.input = make_input(*l.model, x.shape, x.data);
    l.macs = m.macs;
  }
  return l;
}

double g_reference_seconds = 0;  // per inference, batch 1

void report(benchmark::State& state, const Loaded& l, double seconds) {
  const double per_run = seconds / static_cast<double>(state.iterations());
  state.counters["GMAC/s"] = static_cast<double>(l.macs) / per_run / 1e9;
  if (g_reference_seconds > 0) state.counters["speedup"] = g_reference_seconds / per_run;
}

void BM_resnet18_reference(benchmark::State& state) {
  const Loaded& l = resnet(1);
  Runtime runtime(l.model, reference_backend());
  double total = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(runtime.run(l.input));
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  g_reference_seconds = total / static_cast<double>(state.iterations());
  report(state, l, total);
}
BENCHMARK(BM_resnet18_reference)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_resnet18_fast(benchmark::State& state) {
  const fast::Isa isa = fast::cap_to_cpu(static_cast<fast::Isa>(state.range(2)));
  const Loaded& l = resnet(state.range(1));
  const std::unique_ptr<Backend> backend = make_fast_backend(static_cast<int>(state.range(0)), isa);
  Runtime runtime(l.model, *backend);
  runtime.run(l.input);  // warm-up: first-touch of buffers
  double total = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(runtime.run(l.input));
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  report(state, l, total);
  if (state.range(1) != 1) state.counters.erase("speedup");
  const double peak = cpu_peak_macs(isa, static_cast<int>(state.range(0)));
  if (peak > 0) state.counters["peak_fraction"] = state.counters["GMAC/s"] * 1e9 / peak;
}
// isa: the level, 1 = AVX2, 2 = AVX-VNNI, 3 = AVX-512 VNNI (fast::Isa); a
// CPU without a level runs at the highest below it that it has.
BENCHMARK(BM_resnet18_fast)
    ->ArgNames({"threads", "batch", "isa"})
    ->Args({1, 1, 3})
    ->Args({2, 1, 3})
    ->Args({2, 1, 2})
    ->Args({2, 1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace cvm::bench
