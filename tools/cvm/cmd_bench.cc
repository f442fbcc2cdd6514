// cvm bench MODEL [--input x.npy] [--backends reference,fast] [--threads N]
//                 [--isa LEVEL] [--iterations N] [--warmup N] [--per-node]
//
// Times whole inferences on each backend in one process, so the figures are
// comparable (ratios to the first backend), checks that every backend gives
// the first one's heads bit for bit and, in one more untimed run with a node
// observer, the first one's outputs at every operator node (the SHA-256
// digests `cvm trace` records, sha256_int32_hex), naming the first node that
// differs, and reports the conv2d/dense multiply-adds per second. It first
// prints the build (version, commit, compiler, build type) and the ISA level,
// and each backend's thread count (and the fast one's level: --isa runs it
// lower, to time the levels of one CPU against each other). With --per-node it also prints, per
// backend, every operator node's median time over observed runs (each node
// on its own, unfused) and the GMAC/s of each conv2d/dense node.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cvm/errors.h"
#include "cvm/runtime.h"
#include "cvm/version.h"
#include "model_arg.h"
#include "report.h"
#include "sha256.h"

namespace cvm::tool {
namespace {

struct BenchOptions {
  ModelArg model;
  std::string input;
  std::string backends = "reference,fast";
  int threads = 0;
  std::string isa;  // --isa: "" is the CPU's own level
  int iterations = 10;
  int warmup = 1;
  bool per_node = false;
};

// Multiply-adds of a conv2d or dense node: output elements times the
// reduction length K (the weight's size over its first dimension); 0 for
// any other node.
int64_t node_macs(const ModelGraph& g, const ModelNode& n) {
  if (n.is_variable() || (n.op->name != "conv2d" && n.op->name != "dense")) return 0;
  const Shape& w = g.entries[static_cast<size_t>(n.inputs[1])].shape;
  const int64_t k = shape_size(w) / w[0];
  return shape_size(g.entries[static_cast<size_t>(n.first_entry)].shape) * k;
}

int64_t count_macs(const Model& model) {
  int64_t macs = 0;
  for (const ModelNode& n : model.graph().nodes) macs += node_macs(model.graph(), n);
  return macs;
}

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream ss(list);
  for (std::string name; std::getline(ss, name, ',');)
    if (!name.empty()) names.push_back(name);
  if (names.empty()) throw CLI::ValidationError("--backends", "names no backend");
  return names;
}

// The `cvm trace` digest of every output of every operator node, in
// execution order, from one run with an observer (which runs every node on
// its own, unfused: the timed runs' heads are compared separately).
struct NodeDigests {
  size_t node = 0;
  std::vector<std::string> sha256;  // per output
};

std::vector<NodeDigests> node_digests(Runtime& runtime, const Tensor& input) {
  std::vector<NodeDigests> digests;
  const NodeObserver observer = [&digests](size_t node, std::span<const Tensor> outputs) {
    NodeDigests d{node, {}};
    for (const Tensor& t : outputs) d.sha256.push_back(sha256_int32_hex(t.data));
    digests.push_back(std::move(d));
  };
  runtime.run(input, &observer);
  return digests;
}

// Where `b` first differs from `a` ("node 5 'conv2d_5' (conv2d) output 0"),
// or "" when they are equal.
std::string first_difference(const ModelGraph& g, const std::vector<NodeDigests>& a,
                             const std::vector<NodeDigests>& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i].node != b[i].node) return str("operator node ", i, " (nodes ran in another order)");
    for (size_t k = 0; k < std::max(a[i].sha256.size(), b[i].sha256.size()); ++k)
      if (k >= a[i].sha256.size() || k >= b[i].sha256.size() || a[i].sha256[k] != b[i].sha256[k])
        return str(g.describe(a[i].node), " output ", k);
  }
  if (a.size() != b.size())
    return str("operator node ", n, " (", b.size(), " nodes observed, not ", a.size(), ")");
  return {};
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Prints every operator node's median time over `runs` observed runs: the
// observer is called right after each node, so the time since the previous
// call (or the run's start) is that node's. An observed run executes every
// node on its own (no fused epilogues), so the sum may exceed a plain run.
void print_node_times(Runtime& runtime, const Model& model, const Tensor& input, int runs) {
  const ModelGraph& g = model.graph();
  std::vector<std::vector<double>> times(g.nodes.size());
  for (int r = 0; r < runs; ++r) {
    auto last = std::chrono::steady_clock::now();
    const NodeObserver observer = [&times, &last](size_t node, std::span<const Tensor>) {
      times[node].push_back(ms_since(last));
      last = std::chrono::steady_clock::now();
    };
    runtime.run(input, &observer);
  }
  double total = 0;
  std::vector<double> median(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (times[i].empty()) continue;
    std::sort(times[i].begin(), times[i].end());
    median[i] = times[i][times[i].size() / 2];
    total += median[i];
  }
  std::cout << "  per node (median of " << runs << " observed runs, each node unfused; sum "
            << std::fixed << std::setprecision(3) << total << " ms):\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (times[i].empty()) continue;
    const ModelNode& n = g.nodes[i];
    std::cout << "    " << std::left << std::setw(28) << n.name << " " << std::setw(16) << n.op->name
              << std::right << std::setprecision(3) << std::setw(10) << median[i] << " ms "
              << std::setprecision(1) << std::setw(5) << (total > 0 ? 100 * median[i] / total : 0) << "%";
    if (const int64_t macs = node_macs(g, n); macs > 0 && median[i] > 0)
      std::cout << std::setw(8) << macs / median[i] / 1e6 << " GMAC/s";
    std::cout << "\n";
  }
}

int bench_command(const BenchOptions& o) {
  const std::shared_ptr<const Model> model = load_model(o.model);
  Tensor input;
  if (!o.input.empty()) {
    input = read_input(*model, o.input);
  } else {  // zeros: the timing of these integer kernels does not depend on values
    const TensorType& t = model->input_type();
    input = make_input(*model, t.shape, std::vector<int32_t>(static_cast<size_t>(shape_size(t.shape)), 0));
  }
  const int64_t macs = count_macs(*model);
  // Where the figures come from: the build and the CPU's ISA level (each
  // backend's thread count is on its line).
  std::cout << version_line() << ", isa level " << isa_level() << "\n";
  std::cout << "model: " << model->graph().nodes.size() << " nodes, " << macs
            << " conv2d/dense multiply-adds per inference\n";

  std::vector<Tensor> first_heads;
  std::vector<NodeDigests> first_digests;
  double first_ms = 0;
  const std::vector<std::string> names = split_names(o.backends);
  for (const std::string& name : names) {
    // --threads N makes a fast backend of its own, so CVM_THREADS is not
    // read; so does --isa LEVEL.
    std::unique_ptr<Backend> own = backend_at_isa(name, o.isa, o.threads);
    if (!own && name == "fast" && o.threads > 0) own = make_fast_backend(o.threads);
    const Backend* backend = own ? own.get() : &select_backend(name);
    auto t0 = std::chrono::steady_clock::now();
    Runtime runtime(model, *backend);
    const double prepare_ms = ms_since(t0);
    std::vector<Tensor> heads;
    for (int i = 0; i < o.warmup; ++i) heads = runtime.run(input);
    std::vector<double> times;
    for (int i = 0; i < o.iterations; ++i) {
      t0 = std::chrono::steady_clock::now();
      heads = runtime.run(input);
      times.push_back(ms_since(t0));
    }
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    std::cout << std::fixed << std::setprecision(3) << name << ": median " << median
              << " ms, min " << times.front() << " ms over " << o.iterations << " runs on "
              << backend->threads() << (backend->threads() == 1 ? " thread" : " threads");
    if (backend->name() == "fast") std::cout << " at " << backend->isa_level();
    std::cout << " (prepare " << prepare_ms << " ms)";
    if (macs > 0) std::cout << ", " << std::setprecision(1) << macs / median / 1e6 << " GMAC/s";
    // Nothing to compare with a single backend: no digest run.
    const std::vector<NodeDigests> digests =
        names.size() > 1 ? node_digests(runtime, input) : std::vector<NodeDigests>{};
    if (first_heads.empty()) {
      first_heads = heads;
      first_digests = digests;
      first_ms = median;
    } else {
      std::cout << std::setprecision(2) << ", " << first_ms / median << "x the first backend, heads "
                << (heads == first_heads ? "identical" : "DIFFERENT");
      const std::string where = first_difference(model->graph(), first_digests, digests);
      if (where.empty())
        std::cout << ", all " << digests.size() << " nodes' outputs identical";
      else
        std::cout << ", node outputs DIFFERENT from " << where;
      if (heads != first_heads || !where.empty()) {
        std::cout << "\n";
        return kExitRuntime;  // a backend disagrees: our bug
      }
    }
    std::cout << "\n";
    if (o.per_node) print_node_times(runtime, *model, input, o.iterations);
  }
  return kExitOk;
}

}  // namespace

Command add_bench_command(CLI::App& parent) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* app = parent.add_subcommand(
      "bench", "Time whole inferences on several backends and check they agree bit for bit.");
  add_model_arg(*app, o->model, /*with_memory_cap=*/true);
  app->add_option("--input,-i", o->input, "the input .npy (default: zeros of the input shape)");
  app->add_option("--backends", o->backends,
                  "comma-separated backends to time; ratios are to the first (default "
                  "reference,fast)");
  app->add_option("--threads", o->threads,
                  "threads of the fast backend (default: CVM_THREADS, else all hardware threads)")
      ->check(CLI::Range(1, 256));
  add_isa_option(*app, o->isa);
  app->add_option("--iterations,-n", o->iterations, "timed runs per backend (default 10)")
      ->check(CLI::Range(1, 100000));
  app->add_option("--warmup", o->warmup, "untimed runs first (default 1)")->check(CLI::Range(0, 1000));
  app->add_flag("--per-node", o->per_node,
                "also print every operator node's median time (observed runs, unfused) and the "
                "GMAC/s of each conv2d/dense node");
  app->footer(
      "Prints per backend the median and minimum time of one inference, GMAC/s of the conv2d "
      "and dense layers, the speed ratio to the first backend, and whether its heads and every "
      "operator node's outputs (their cvm trace SHA-256 digests, from one more untimed run) equal "
      "the first backend's; if not, the first node that differs, and exit 2.");
  return {app, [o] { return bench_command(*o); }};
}

}  // namespace cvm::tool
