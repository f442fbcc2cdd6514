// `cvm prove` timing (issue 4): per-model certification of a ResNet-50-sized
// graph. Certification solves nothing (the lemmas are proved once, by
// cvm_prove_lemmas); it walks the validated nodes and looks up each op's
// recorded lemma verdicts, so it is linear in the number of nodes.
//
// The graph has ResNet-50's layout with tiny tensors so that params stay
// small: a stem (conv 3x3, shift, relu, max_pool2d), 16 bottleneck blocks in
// stages of 3, 4, 6, 3 (conv 1x1, conv 3x3, conv 1x1, each followed by
// cvm_right_shift back to precision 8, relu between; a 1x1 projection on the
// first block of each stage; elemwise_add, relu, shift), then flatten, dense
// and a shift: 191 operator nodes, 8x8 spatial size, 4 to 16 channels.
//
//   BM_CertifyResNet50: certify() on the loaded model (what `cvm prove` adds
//                       to loading);
//   BM_LoadAndCertifyResNet50: Model::load (validation, the precondition of
//                       the lemmas) plus certify().
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cvm/certify.h"
#include "cvm/graph_builder.h"
#include "cvm/model.h"
#include "cvm/params.h"
#include "cvm/shape.h"

namespace {

using cvm::EntryRef;

class ResNet50Maker {
 public:
  std::pair<std::string, std::string> make() {
    EntryRef x = b_.variable("data", {1, 3, 8, 8}, 8);
    x = conv(x, 4, 3, 1, true);
    x = b_.op1("max_pool2d", name("pool"), {x},
               {{"pool_size", "(3, 3)"}, {"strides", "(1, 1)"}, {"padding", "(1, 1)"}});
    int64_t channels = 4;
    const int blocks[4] = {3, 4, 6, 3};
    const int64_t widths[4] = {4, 8, 12, 16};
    for (int s = 0; s < 4; ++s) {
      for (int blk = 0; blk < blocks[s]; ++blk) {
        const int64_t mid = widths[s];
        const int64_t out = 2 * mid;
        EntryRef shortcut = x;
        if (blk == 0) shortcut = conv(x, out, 1, 0, false);
        EntryRef y = conv(x, mid, 1, 0, true);
        y = conv(y, mid, 3, 1, true);
        y = conv(y, out, 1, 0, false);
        y = b_.op1("elemwise_add", name("add"), {y, shortcut});
        y = b_.op1("relu", name("relu"), {y});
        x = shift(y, 1);
        channels = out;
      }
    }
    x = b_.op1("flatten", name("flatten"), {x});
    const int64_t features = channels * 8 * 8;
    EntryRef w = param({10, features}, 8);
    EntryRef bias = param({10}, 8);
    x = b_.op1("dense", name("fc"), {x, w, bias}, {{"units", "10"}, {"use_bias", "true"}});
    x = shift(x, std::max(1, b_.type(x).precision - 8));
    b_.head(x);
    return {cvm::write_graph_json(b_.graph()), cvm::write_params(params_)};
  }

  int op_nodes() const { return nodes_; }

 private:
  std::string name(const char* what) { return std::string(what) + "_" + std::to_string(++nodes_); }

  EntryRef param(const cvm::Shape& shape, int precision) {
    cvm::ParamArray a{"p" + std::to_string(params_.size()), 8, shape, {}};
    a.data.resize(static_cast<size_t>(cvm::shape_size(shape)));
    for (size_t i = 0; i < a.data.size(); ++i) a.data[i] = static_cast<int32_t>((i * 37) % 255) - 127;
    params_.push_back(a);
    return b_.variable(a.name, shape, precision);
  }

  EntryRef shift(EntryRef x, int shift_bit) {
    return b_.op1("cvm_right_shift", name("shift"), {x},
                  {{"precision", "8"}, {"shift_bit", std::to_string(shift_bit)}});
  }

  // conv2d (+bias) with stride 1, a shift back to precision 8, then relu.
  EntryRef conv(EntryRef x, int64_t out, int64_t k, int64_t pad, bool relu) {
    const cvm::TensorType t = b_.type(x);
    EntryRef w = param({out, t.shape[1], k, k}, 8);
    EntryRef bias = param({out}, 8);
    const std::string ks = "(" + std::to_string(k) + ", " + std::to_string(k) + ")";
    const std::string ps = "(" + std::to_string(pad) + ", " + std::to_string(pad) + ")";
    EntryRef y = b_.op1("conv2d", name("conv"), {x, w, bias},
                        {{"channels", std::to_string(out)}, {"kernel_size", ks},
                         {"strides", "(1, 1)"}, {"padding", ps}, {"use_bias", "true"}});
    y = shift(y, std::max(1, b_.type(y).precision - 8));
    if (relu) y = b_.op1("relu", name("relu"), {y});
    return y;
  }

  cvm::GraphBuilder b_;
  std::vector<cvm::ParamArray> params_;
  int nodes_ = 0;
};

struct Fixture {
  std::string symbol;
  std::string params;
  int op_nodes = 0;
  std::shared_ptr<const cvm::Model> model;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture r;
    ResNet50Maker m;
    std::tie(r.symbol, r.params) = m.make();
    r.op_nodes = m.op_nodes();
    r.model = cvm::Model::load(r.symbol, r.params);
    return r;
  }();
  return f;
}

void BM_CertifyResNet50(benchmark::State& state) {
  const Fixture& f = fixture();
  cvm::lemmas_by_op();  // parse the record once, outside the timing
  for (auto _ : state) {
    const cvm::Certificate c = cvm::certify(*f.model);
    if (!c.certified) state.SkipWithError("not certified");
    benchmark::DoNotOptimize(c);
  }
  state.counters["op_nodes"] = f.op_nodes;
  state.counters["nodes_per_s"] =
      benchmark::Counter(static_cast<double>(f.op_nodes), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_CertifyResNet50)->Unit(benchmark::kMicrosecond);

void BM_LoadAndCertifyResNet50(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    const auto model = cvm::Model::load(f.symbol, f.params);
    const cvm::Certificate c = cvm::certify(*model);
    if (!c.certified) state.SkipWithError("not certified");
    benchmark::DoNotOptimize(c);
  }
  state.counters["op_nodes"] = f.op_nodes;
}
BENCHMARK(BM_LoadAndCertifyResNet50)->Unit(benchmark::kMillisecond);

}  // namespace
