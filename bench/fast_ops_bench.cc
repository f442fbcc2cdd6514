// Per-op speed: the fast kernel against the reference kernel on one large
// case per op (>= 1M output elements where the op allows), in one run.
//
//   build/bench/cvm_bench --benchmark_filter=fast_vs_reference
//
// Each benchmark times the fast kernel (prepared once, as the engine does,
// weights packed) and reports the counter `speedup` = reference time / fast
// time, the reference measured in the same process just before. Threads:
// CVM_THREADS, else all hardware threads. conv2d and dense also report
// GMAC/s and peak_fraction (of bench/cpu_peak.h's measured peak for the
// instruction-set level in use, same thread count), and run once per level
// with a GEMM micro-kernel of its own ("/avx_vnni": the 256-bit int8 kernel,
// "/avx2": the int16 one, below the CPU's own level).
// Depthwise conv2d (MobileNetV2's 3x3 layers, "conv2d/dw_*") and grouped
// conv2d ("conv2d/g_icg<input channels per group>_*") sit next to the dense
// conv2d/64x56x56_3x3_64 for GMAC/s ratios; those on the direct kernel
// (fast/conv2d_depthwise.h) also run on the grouped GEMM they used before
// ("/gemm").
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <vector>

#include "cpu_peak.h"
#include "cvm/backend.h"
#include "cvm/validate.h"
#include "fast/conv2d_depthwise.h"
#include "fast/kernel.h"
#include "gen/chooser.h"
#include "gen/op_cases.h"
#include "gen/values.h"

namespace cvm::bench {
namespace {

struct Case {
  const char* name;  // benchmark name (op, or op/variant)
  const char* op;
  AttrMap attrs;
  Types inputs;
  /// Replaces the generated input values where uniform random ones would
  /// make a meaningless workload (nullptr: keep them).
  void (*realistic)(std::vector<Tensor>&, gen::Chooser&) = nullptr;
  /// Depthwise and small-group conv2d: also run on the grouped GEMM the
  /// direct kernel (fast/conv2d_depthwise.h) replaced ("/gemm"), for the
  /// before/after comparison.
  bool direct = false;
};

const Shape kImage{16, 64, 32, 32};  // 1M elements

// non_max_suppression on detector-like boxes: all rows valid, 4 classes,
// scores over the whole range, boxes of 8-200 units in a 1000 x 1000 image,
// so that many pairs overlap and the suppression loop does real work (with
// uniform random values most rows are invalid or boxes are inverted).
void detector_boxes(std::vector<Tensor>& in, gen::Chooser& ch) {
  Tensor& data = in[0];
  const int64_t rows = data.shape[1];
  for (int64_t r = 0; r < rows; ++r) {
    int32_t* row = data.data.data() + r * 6;
    const auto x1 = static_cast<int32_t>(ch.range(0, 1000)), y1 = static_cast<int32_t>(ch.range(0, 1000));
    row[0] = static_cast<int32_t>(ch.range(0, 3));
    row[1] = static_cast<int32_t>(ch.range(0, 32767));
    row[2] = x1;
    row[3] = y1;
    row[4] = x1 + static_cast<int32_t>(ch.range(8, 200));
    row[5] = y1 + static_cast<int32_t>(ch.range(8, 200));
  }
  in[1].data[0] = static_cast<int32_t>(rows);  // valid_count
}

// A depthwise 3x3 conv2d (pad 1, no bias) of MobileNetV2 on a c x hw x hw
// image with stride s (batch 1).
Case depthwise(const char* name, int64_t c, int64_t hw, int64_t s) {
  const std::string cs = std::to_string(c), ss = "(" + std::to_string(s) + ", " + std::to_string(s) + ")";
  return {name, "conv2d",
          {{"channels", cs}, {"groups", cs}, {"kernel_size", "(3, 3)"}, {"padding", "(1, 1)"}, {"strides", ss},
           {"use_bias", "false"}},
          {{{1, c, hw, hw}, 8}, {{c, 1, 3, 3}, 8}}, nullptr, true};
}

// A grouped 3x3 conv2d (pad 1, no bias) with icg input channels per group.
Case grouped(const char* name, int64_t c, int64_t hw, int64_t icg) {
  const std::string cs = std::to_string(c);
  return {name, "conv2d",
          {{"channels", cs}, {"groups", std::to_string(c / icg)}, {"kernel_size", "(3, 3)"}, {"padding", "(1, 1)"},
           {"use_bias", "false"}},
          {{{1, c, hw, hw}, 8}, {{c, icg, 3, 3}, 8}}, nullptr, icg <= fast::depthwise::kMaxGroupChannels};
}

std::vector<Case> cases() {
  return {
      {"abs", "abs", {}, {{kImage, 16}}},
      {"negative", "negative", {}, {{kImage, 16}}},
      {"relu", "relu", {}, {{kImage, 16}}},
      {"clip", "clip", {{"a_min", "-100"}, {"a_max", "100"}}, {{kImage, 16}}},
      {"cvm_clip", "cvm_clip", {{"precision", "8"}}, {{kImage, 16}}},
      {"cvm_left_shift", "cvm_left_shift", {{"precision", "24"}, {"shift_bit", "4"}}, {{kImage, 16}}},
      {"cvm_right_shift", "cvm_right_shift", {{"precision", "8"}, {"shift_bit", "4"}}, {{kImage, 16}}},
      {"cvm_lut", "cvm_lut", {{"in_dim", "256"}}, {{kImage, 8}, {{256}, 8}}},
      {"cvm_precision", "cvm_precision", {}, {{kImage, 16}}},
      {"elemwise_add", "elemwise_add", {}, {{kImage, 16}, {kImage, 16}}},
      {"elemwise_sub", "elemwise_sub", {}, {{kImage, 16}, {kImage, 16}}},
      {"broadcast_add", "broadcast_add", {}, {{kImage, 16}, {{64, 1, 32}, 16}}},
      {"broadcast_sub", "broadcast_sub", {}, {{kImage, 16}, {{64, 1, 32}, 16}}},
      {"broadcast_mul", "broadcast_mul", {}, {{kImage, 16}, {{64, 1, 32}, 16}}},
      {"broadcast_div", "broadcast_div", {}, {{kImage, 16}, {{64, 1, 32}, 16}}},
      {"broadcast_max", "broadcast_max", {}, {{kImage, 16}, {{64, 1, 32}, 16}}},
      {"broadcast_greater", "broadcast_greater", {}, {{kImage, 16}, {{64, 1, 32}, 16}}},
      {"broadcast_add/scalar", "broadcast_add", {}, {{kImage, 16}, {{1}, 16}}},
      {"where", "where", {}, {{kImage, 2}, {kImage, 16}, {kImage, 16}}},
      {"concatenate", "concatenate", {{"axis", "1"}}, {{{16, 32, 32, 32}, 16}, {{16, 32, 32, 32}, 16}}},
      {"transpose", "transpose", {{"axes", "(0, 2, 3, 1)"}}, {{kImage, 16}}},
      {"transpose/last2", "transpose", {{"axes", "(0, 1, 3, 2)"}}, {{kImage, 16}}},
      {"slice_like", "slice_like", {{"axis", "(2, 3)"}}, {{{16, 64, 48, 48}, 16}, {{16, 64, 32, 32}, 16}}},
      {"strided_slice", "strided_slice", {{"begin", "(0, 0, 1, 1)"}, {"end", "(16, 64, 65, 65)"}, {"stride", "(1, 1, 2, 2)"}},
       {{{16, 64, 66, 66}, 16}}},
      {"take", "take", {{"axis", "0"}}, {{{1024, 1024}, 16}, {{1024}, 16}}},
      {"tile", "tile", {{"reps", "(1, 1, 1, 4)"}}, {{{16, 64, 32, 8}, 16}}},
      {"repeat", "repeat", {{"repeats", "2"}, {"axis", "3"}}, {{{16, 64, 32, 16}, 16}}},
      {"upsampling", "upsampling", {{"scale", "2"}}, {{{16, 64, 16, 16}, 16}}},
      {"reshape", "reshape", {{"shape", "(16, 64, 1024)"}}, {{kImage, 16}}},
      {"flatten", "flatten", {}, {{kImage, 16}}},
      {"expand_dims", "expand_dims", {{"axis", "1"}}, {{kImage, 16}}},
      {"squeeze", "squeeze", {{"axis", "(2)"}}, {{{16, 64, 1, 1024}, 16}}},
      {"sum/inner", "sum", {{"axis", "(2, 3)"}}, {{kImage, 16}}},
      {"sum/middle", "sum", {{"axis", "(1)"}}, {{kImage, 16}}},
      {"max/inner", "max", {{"axis", "(2, 3)"}}, {{kImage, 16}}},
      {"max/middle", "max", {{"axis", "(1)"}}, {{kImage, 16}}},
      {"max_pool2d", "max_pool2d", {{"pool_size", "(3, 3)"}, {"padding", "(1, 1)"}}, {{kImage, 16}}},
      {"get_valid_counts", "get_valid_counts", {{"score_threshold", "10"}}, {{{16, 16384, 6}, 16}}},
      {"non_max_suppression", "non_max_suppression", {{"iou_threshold", "50"}},
       {{{1, 2048, 6}, 16}, {{1}, 16}}, detector_boxes},
      {"conv2d/64x56x56_3x3_64", "conv2d",
       {{"channels", "64"}, {"kernel_size", "(3, 3)"}, {"padding", "(1, 1)"}, {"use_bias", "false"}},
       {{{1, 64, 56, 56}, 8}, {{64, 64, 3, 3}, 8}}},
      depthwise("conv2d/dw_32x112x112_s1", 32, 112, 1),
      depthwise("conv2d/dw_96x112x112_s2", 96, 112, 2),
      depthwise("conv2d/dw_144x56x56_s1", 144, 56, 1),
      depthwise("conv2d/dw_144x56x56_s2", 144, 56, 2),
      depthwise("conv2d/dw_192x28x28_s1", 192, 28, 1),
      depthwise("conv2d/dw_192x28x28_s2", 192, 28, 2),
      depthwise("conv2d/dw_384x14x14_s1", 384, 14, 1),
      depthwise("conv2d/dw_576x14x14_s1", 576, 14, 1),
      depthwise("conv2d/dw_576x14x14_s2", 576, 14, 2),
      depthwise("conv2d/dw_960x7x7_s1", 960, 7, 1),
      grouped("conv2d/g_icg2_64x56x56", 64, 56, 2),
      grouped("conv2d/g_icg4_64x56x56", 64, 56, 4),
      grouped("conv2d/g_icg8_64x56x56", 64, 56, 8),
      grouped("conv2d/g_icg16_128x28x28", 128, 28, 16),
      {"dense/16x4096x1024", "dense", {{"units", "1024"}, {"use_bias", "false"}},
       {{{16, 4096}, 8}, {{1024, 4096}, 8}}},
  };
}

double seconds(const std::function<void()>& fn) {
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Multiply-adds of a conv2d or dense application; 0 for other ops.
double gemm_macs(const Case& c, const ValidatedOp& v) {
  const std::string op = c.op;
  if (op == "conv2d") {
    const Shape& w = c.inputs[1].shape;  // (O, C / groups, KH, KW)
    return static_cast<double>(shape_size(v.outputs[0].shape)) * static_cast<double>(w[1] * w[2] * w[3]);
  }
  if (op == "dense")
    return static_cast<double>(shape_size(v.outputs[0].shape)) * static_cast<double>(c.inputs[0].shape[1]);
  return 0;
}

void run_case_at(benchmark::State& state, const Case& c, const fast::KernelOptions& options) {
  const fast::Isa isa = options.isa;
  ValidatedOp v;
  try {
    v = validate_op(c.op, c.attrs, c.inputs);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  gen::SeededChooser chooser(1);
  const gen::GeneratedCase g{c.op, c.attrs, c.inputs, v};
  std::vector<Tensor> inputs = gen::input_values(chooser, g);
  if (c.realistic != nullptr) c.realistic(inputs, chooser);
  Inputs in;
  for (const Tensor& t : inputs) in.push_back(&t);
  auto make_outputs = [&] {
    std::vector<Tensor> outs;
    for (const TensorType& t : v.outputs)
      outs.push_back(Tensor{t.shape, t.precision, std::vector<int32_t>(static_cast<size_t>(shape_size(t.shape)))});
    return outs;
  };

  // The reference kernel, once (it is the slow side), outputs preallocated.
  std::vector<Tensor> ref_out = make_outputs();
  Outputs ref_ptrs;
  for (Tensor& t : ref_out) ref_ptrs.push_back(&t);
  const double ref_s = seconds([&] { v.op->reference(v.attrs, in, ref_ptrs); });

  // The fast kernel as the engine prepares it: parameters (inputs after the
  // first) packed as constants.
  fast::NodeSpec spec{.op = v.op, .attrs = v.attrs, .inputs = c.inputs, .outputs = v.outputs, .constants = {}};
  for (size_t i = 0; i < inputs.size(); ++i) spec.constants.push_back(i == 0 ? nullptr : &inputs[i]);
  const std::unique_ptr<fast::NodeKernel> kernel = fast::find_kernel(c.op)(spec, options);
  fast::ThreadPool pool(default_thread_count());
  std::vector<Tensor> out = make_outputs();
  Outputs ptrs;
  for (Tensor& t : out) ptrs.push_back(&t);
  double fast_s = 0;
  for (auto _ : state) fast_s += seconds([&] { kernel->run(in, ptrs, fast::Exec(&pool, isa)); });
  if (out != ref_out) state.SkipWithError("fast result differs from the reference");
  const double per_run = fast_s / static_cast<double>(state.iterations());
  state.counters["speedup"] = ref_s / per_run;
  state.counters["ref_ms"] = ref_s * 1e3;
  state.counters["elements"] = static_cast<double>(shape_size(v.outputs[0].shape));
  state.counters["threads"] = pool.threads();
  if (const double macs = gemm_macs(c, v); macs > 0) {
    state.counters["GMAC/s"] = macs / per_run / 1e9;
    const double peak = cpu_peak_macs(isa, pool.threads());
    if (peak > 0) state.counters["peak_fraction"] = macs / per_run / peak;
  }
}

// The case at level `isa` (at most cpu_isa(): the registered runs below),
// depthwise conv2d on the grouped GEMM when `gemm`.
void run_case(benchmark::State& state, const Case& c, fast::Isa isa, bool gemm) {
  run_case_at(state, c, {.isa = isa, .depthwise_as_grouped_gemm = gemm});
}

const bool registered = [] {
  for (const Case& c : cases()) {
    std::vector<std::pair<std::string, fast::Isa>> runs{{c.name, fast::cpu_isa()}};
    const std::string op = c.op;
    // The lower levels with a GEMM micro-kernel of their own that the CPU has.
    if (op == "conv2d" || op == "dense")
      for (const fast::Isa isa : {fast::Isa::kAvxVnni, fast::Isa::kAvx2})
        if (isa < fast::cpu_isa() && fast::cpu_has(isa))
          runs.emplace_back(std::string(c.name) + "/" + fast::isa_name(isa), isa);
    for (const auto& [name, isa] : runs)
      for (bool gemm : {false, true}) {
        if (gemm && !c.direct) continue;
        benchmark::RegisterBenchmark(("fast_vs_reference/" + name + (gemm ? "/gemm" : "")).c_str(),
                                     [c, isa = isa, gemm](benchmark::State& s) { run_case(s, c, isa, gemm); })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
  }
  return true;
}();

}  // namespace
}  // namespace cvm::bench
