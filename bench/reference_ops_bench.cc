// The reference backend's speed on the ResNet-18-shaped model
// (tools/make_examples/resnet18.h), the oracle and "formal" backend:
//
//   build/bench/cvm_bench --benchmark_filter=reference_
//
// reference_resnet18: one inference, timed per node through the run's
// observer; counters `<op>_ms` sum the nodes of each op (kernel plus the
// backend's per-node work) and `total_ms` is the whole run.
// reference_op/<layer>: the reference kernel alone (OpDef::reference, outputs
// preallocated) on one layer shape of that model, random values in the
// layer's precisions; counter `ms` per call (and GMAC/s for conv2d, dense).
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cvm/backend.h"
#include "cvm/npy.h"
#include "cvm/runtime.h"
#include "cvm/validate.h"
#include "gen/chooser.h"
#include "gen/op_cases.h"
#include "gen/values.h"
#include "resnet18.h"

namespace cvm::bench {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

void BM_reference_resnet18(benchmark::State& state) {
  const examples::ResNetModel m = examples::make_resnet18(1);
  const std::shared_ptr<const Model> model = Model::load(m.files.symbol, m.files.params);
  const NpyArray x = parse_npy(m.files.input_npy, "input");
  const Tensor input = make_input(*model, x.shape, x.data);
  Runtime runtime(model, reference_backend());
  std::map<std::string, double> per_op_ms;
  double total_ms = 0;
  for (auto _ : state) {
    // The observer runs right after each node: the time since the previous
    // call is that node's (variables are skipped and take no time).
    Clock::time_point last = Clock::now();
    const Clock::time_point start = last;
    const NodeObserver observer = [&](size_t node, std::span<const Tensor>) {
      per_op_ms[std::string(model->graph().nodes[node].op->name)] += ms_since(last);
      last = Clock::now();
    };
    benchmark::DoNotOptimize(runtime.run(input, &observer));
    total_ms += ms_since(start);
  }
  const double runs = static_cast<double>(state.iterations());
  for (const auto& [op, ms] : per_op_ms) state.counters[op + "_ms"] = ms / runs;
  state.counters["total_ms"] = total_ms / runs;
  state.counters["GMAC/s"] = static_cast<double>(m.macs) / (total_ms / runs * 1e-3) / 1e9;
}
BENCHMARK(BM_reference_resnet18)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

struct Layer {
  const char* name;
  const char* op;
  AttrMap attrs;
  Types inputs;
};

// A conv2d layer of the model: 8-bit x and w, a 16-bit bias.
Layer conv(const char* name, int64_t c, int64_t hw, int64_t o, int64_t k, int64_t stride) {
  const std::string pad = std::to_string(k / 2), s = std::to_string(stride), ks = std::to_string(k);
  return {name,
          "conv2d",
          {{"channels", std::to_string(o)},
           {"kernel_size", "(" + ks + ", " + ks + ")"},
           {"strides", "(" + s + ", " + s + ")"},
           {"padding", "(" + pad + ", " + pad + ")"}},
          {{{1, c, hw, hw}, 8}, {{o, c, k, k}, 8}, {{o}, 16}}};
}

std::vector<Layer> layers() {
  const Shape act{1, 64, 56, 56};
  return {
      conv("conv2d/conv1_3x224_7x7s2_64", 3, 224, 64, 7, 2),
      conv("conv2d/64x56_3x3_64", 64, 56, 64, 3, 1),
      conv("conv2d/64x56_3x3s2_128", 64, 56, 128, 3, 2),
      conv("conv2d/64x56_1x1s2_128", 64, 56, 128, 1, 2),
      conv("conv2d/128x28_3x3_128", 128, 28, 128, 3, 1),
      conv("conv2d/256x14_3x3_256", 256, 14, 256, 3, 1),
      conv("conv2d/512x7_3x3_512", 512, 7, 512, 3, 1),
      {"dense/512_1000", "dense", {{"units", "1000"}},
       {{{1, 512}, 8}, {{1000, 512}, 8}, {{1000}, 16}}},
      {"max_pool2d/64x112_3x3s2", "max_pool2d",
       {{"pool_size", "(3, 3)"}, {"strides", "(2, 2)"}, {"padding", "(1, 1)"}},
       {{{1, 64, 112, 112}, 8}}},
      {"cvm_right_shift/64x112", "cvm_right_shift", {{"precision", "8"}, {"shift_bit", "8"}},
       {{{1, 64, 112, 112}, 24}}},
      {"relu/64x112", "relu", {}, {{{1, 64, 112, 112}, 8}}},
      {"elemwise_add/64x56", "elemwise_add", {}, {{act, 8}, {act, 8}}},
      {"sum/512x7_hw", "sum", {{"axis", "(2, 3)"}, {"keepdims", "true"}}, {{{1, 512, 7, 7}, 8}}},
      {"flatten/512", "flatten", {}, {{{1, 512, 1, 1}, 8}}},
  };
}

double gemm_macs(const Layer& l, const ValidatedOp& v) {
  const std::string op = l.op;
  const double out = static_cast<double>(shape_size(v.outputs[0].shape));
  if (op == "conv2d") {
    const Shape& w = l.inputs[1].shape;
    return out * static_cast<double>(w[1] * w[2] * w[3]);
  }
  if (op == "dense") return out * static_cast<double>(l.inputs[0].shape[1]);
  return 0;
}

void run_layer(benchmark::State& state, const Layer& l) {
  const ValidatedOp v = validate_op(l.op, l.attrs, l.inputs);
  gen::SeededChooser chooser(1);
  const std::vector<Tensor> inputs =
      gen::input_values(chooser, gen::GeneratedCase{l.op, l.attrs, l.inputs, v});
  Inputs in;
  for (const Tensor& t : inputs) in.push_back(&t);
  std::vector<Tensor> outs;
  for (const TensorType& t : v.outputs)
    outs.push_back(Tensor{t.shape, t.precision,
                          std::vector<int32_t>(static_cast<size_t>(shape_size(t.shape)))});
  Outputs ptrs;
  for (Tensor& t : outs) ptrs.push_back(&t);
  double ms = 0;
  for (auto _ : state) {
    const Clock::time_point t0 = Clock::now();
    v.op->reference(v.attrs, in, ptrs);
    ms += ms_since(t0);
  }
  const double per_call = ms / static_cast<double>(state.iterations());
  state.counters["ms"] = per_call;
  if (const double macs = gemm_macs(l, v); macs > 0)
    state.counters["GMAC/s"] = macs / (per_call * 1e-3) / 1e9;
}

const bool registered = [] {
  for (const Layer& l : layers())
    benchmark::RegisterBenchmark(("reference_op/" + std::string(l.name)).c_str(),
                                 [l](benchmark::State& s) { run_layer(s, l); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  return true;
}();

}  // namespace
}  // namespace cvm::bench
