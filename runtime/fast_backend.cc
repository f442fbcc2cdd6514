// The fast backend: each node runs its fast/<op>.cc kernel, built once per
// model (weights packed then), in node order, with buffers from the memory
// plan, on a pool of threads, at the instruction-set level of its backend
// (fast::Isa: every level gives the same bits). The level belongs to the
// program, not to the process, so programs at different levels can run side
// by side. The program is runtime (it needs Model); the kernels are in fast/
// (cvm_fast), which never sees the runtime.
#include <charconv>
#include <cstdlib>
#include <functional>
#include <string_view>
#include <thread>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/plan.h"
#include "runtime/entry_store.h"
#include "runtime/epilogue_chains.h"
#include "runtime/int8_handoff.h"
#include "runtime/node_spec.h"
#include "runtime/node_step.h"
#include "fast/epilogue.h"
#include "fast/int8_handoff.h"
#include "fast/kernel.h"

namespace cvm {
namespace {

using fast::NodeKernel;
using fast::NodeSpec;

class FastProgram final : public Program {
 public:
  FastProgram(std::shared_ptr<const Model> model, int threads, fast::Isa isa)
      : Program(*model), model_(std::move(model)), pool_(threads), options_{.isa = isa} {
    producer_ = entry_producers(model_->graph());
    // make_node_kernels calls make(spec): bind this program's options to
    // each factory.
    using Make = std::function<std::unique_ptr<NodeKernel>(const NodeSpec&)>;
    const auto find = [this](std::string_view op) -> Make {
      const fast::KernelFactory make = fast::find_kernel(op);
      if (make == nullptr) return nullptr;
      return [this, make](const NodeSpec& spec) { return make(spec, options_); };
    };
    kernels_ = make_node_kernels<NodeKernel>(*model_, producer_, "fast", "fast kernel", find);
    plan_fusion();
    store_ = std::make_unique<EntryStore>(model_, fused_layout());
  }

 private:
  std::vector<Tensor> run_checked(const Tensor& data, const NodeObserver* observer) override {
    const ModelGraph& g = model_->graph();
    // Fused runs take each chain's output at its first node (fused_layout);
    // a run with an observer takes every output at its own node (the
    // model's memory plan), from a store of its own made on first use.
    const bool fuse = observer == nullptr;
    if (!fuse && !observed_store_) observed_store_ = std::make_unique<EntryStore>(model_);
    EntryStore& store = fuse ? *store_ : *observed_store_;
    store.start(data);
    const fast::Exec exec(&pool_, options_.isa);

    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const ModelNode& n = g.nodes[i];
      if (n.is_variable()) continue;
      if (fuse && fused_[i].member) {
        // Its value was computed with its chain's first node.
        store.free_after(i);
        continue;
      }
      // Kernels write every output element, so a reused slot buffer needs no
      // clearing: only its size is set. The first node of a fused chain
      // writes the chain's last output directly (only without an observer,
      // which wants every node's value).
      const bool chain = fuse && fused_[i].kernel != nullptr;
      NodeKernel& kernel = chain ? *fused_[i].kernel : *kernels_[i];
      const int64_t first = chain ? g.nodes[fused_[i].last].first_entry : n.first_entry;
      const int count = chain ? 1 : n.num_outputs;
      step_.run(
          store, g, i, first, count, /*zero=*/false, observer,
          [&kernel, &exec](const Inputs& in, const Outputs& out) { kernel.run(in, out, exec); },
          chain ? fused_[i].residual : -1);
    }
    return store.finish();
  }

  struct Fused {
    std::unique_ptr<NodeKernel> kernel;  // set on a chain's first node
    size_t last = 0;                     // the chain's last node
    int64_t residual = -1;               // the entry its residual add reads
    bool member = false;                 // a later node of a chain: skipped
  };

  // Runs each epilogue chain (runtime/epilogue_chains.h) as its first
  // node's fused kernel; the other members are skipped. Convolutions that
  // hand values over as bytes (runtime/int8_handoff.h) get kernels of their
  // own for fused runs too (a chain of one node when not a chain's first),
  // as do max_pool2d nodes that take or give bytes.
  void plan_fusion() {
    const ModelGraph& g = model_->graph();
    fused_.resize(g.nodes.size());
    // Residual adds where the level's convolutions run the int8 GEMM, which
    // adds them in its registers (the other paths take a pass of their own).
    const std::vector<EpilogueChain> chains =
        find_epilogue_chains(g, {.residual_adds = fast::use_avx_vnni(options_.isa)});
    std::vector<const EpilogueChain*> chain_at(g.nodes.size(), nullptr);
    for (const EpilogueChain& c : chains) {
      chain_at[c.first] = &c;
      for (size_t m : c.members) fused_[m].member = true;
    }
    // The specs as the fused kernels see them: a chain's first node outputs
    // the chain's last value.
    auto fused_spec = [&](size_t i) {
      NodeSpec spec = node_spec(*model_, producer_, i);
      if (chain_at[i] != nullptr)
        spec.outputs = {g.entries[static_cast<size_t>(g.nodes[chain_at[i]->last].first_entry)]};
      return spec;
    };
    handoff_ = find_int8_handoffs(g, chains, [&](size_t i) {
      return fast::conv2d_on_int8_gemm(fused_spec(i), options_);
    });
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const ModelNode& n = g.nodes[i];
      if (n.is_variable() || fused_[i].member) continue;
      const EpilogueChain* c = chain_at[i];
      const size_t last = c != nullptr ? c->last : i;
      fast::KernelOptions options = options_;
      options.x_as_bytes = !n.inputs.empty() && handoff_[static_cast<size_t>(n.inputs[0])];
      options.y_as_bytes = handoff_[static_cast<size_t>(g.nodes[last].first_entry)];
      options.residual_as_bytes = c != nullptr && c->residual >= 0 && handoff_[static_cast<size_t>(c->residual)];
      if (c == nullptr && !options.x_as_bytes && !options.y_as_bytes) continue;
      // find_epilogue_chains starts chains only at takes_epilogue ops, which
      // all have a fused factory; hand-offs are between conv2d and
      // max_pool2d nodes only, whose factories take the byte options.
      fused_[i].kernel = c != nullptr ? fast::find_fused_kernel(n.op->name)(fused_spec(i), c->epilogue, options)
                                      : fast::find_kernel(n.op->name)(fused_spec(i), options);
      fused_[i].last = last;
      fused_[i].residual = c != nullptr ? c->residual : -1;
    }
  }

  // When a fused run takes each entry's buffer: a chain's output when its
  // first node runs, the values inside a chain never, every other output
  // when its node runs. The store's slots follow that schedule, so a chain
  // output never shares a slot with a value still live when the chain runs
  // (the chain's input, say): with the model's plan it would, and the run
  // would allocate that output anew each time.
  SlotLayout fused_layout() const {
    const ModelGraph& g = model_->graph();
    std::vector<int64_t> taken_at(g.entries.size(), -1);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const ModelNode& n = g.nodes[i];
      if (n.is_variable() || fused_[i].member) continue;
      if (fused_[i].kernel) {
        taken_at[static_cast<size_t>(g.nodes[fused_[i].last].first_entry)] = static_cast<int64_t>(i);
        continue;
      }
      for (int k = 0; k < n.num_outputs; ++k)
        taken_at[static_cast<size_t>(n.first_entry + k)] = static_cast<int64_t>(i);
    }
    return plan_slots(g, model_->plan(), taken_at, /*avoid_growth=*/true);
  }

  std::shared_ptr<const Model> model_;
  fast::ThreadPool pool_;
  fast::KernelOptions options_;  // the level: the factories' and each run's
  std::vector<std::unique_ptr<NodeKernel>> kernels_;
  std::vector<Fused> fused_;
  std::vector<bool> handoff_;  // per entry: handed over as bytes in fused runs
  std::vector<size_t> producer_;  // entry_producers()
  std::unique_ptr<EntryStore> store_;           // fused runs
  std::unique_ptr<EntryStore> observed_store_;  // runs with an observer
  NodeStep step_;
};

class FastBackend final : public Backend {
 public:
  FastBackend(int threads, fast::Isa isa) : threads_(threads), isa_(isa) {}
  std::string_view name() const override { return "fast"; }
  int threads() const override { return threads_; }
  std::string isa_level() const override { return fast::isa_name(isa_); }
  std::unique_ptr<Program> prepare(std::shared_ptr<const Model> model) const override {
    return std::make_unique<FastProgram>(std::move(model), threads_, isa_);
  }

 private:
  int threads_;
  fast::Isa isa_;  // at most fast::cpu_isa()
};

}  // namespace

int default_thread_count() {
  const char* s = std::getenv("CVM_THREADS");
  if (s != nullptr && *s != '\0') {
    // The whole value must be a decimal integer in [1, kMaxThreads]: atoi's
    // silent 0 for "abc" or wrap-around for huge values would hide a typo.
    constexpr int kMaxThreads = 256;
    const std::string_view v(s);
    int n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < 1 || n > kMaxThreads)
      throw_runtime("threads", str("CVM_THREADS='", v, "' is not a thread count: give an integer from 1 to ",
                                   kMaxThreads, ", or unset it to use all hardware threads"));
    return n;
  }
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 256u));
}

const Backend& fast_backend() {
  static const FastBackend backend(default_thread_count(), fast::cpu_isa());
  return backend;
}

std::unique_ptr<Backend> make_fast_backend(int threads) {
  return make_fast_backend(threads, fast::cpu_isa());
}

std::unique_ptr<Backend> make_fast_backend(int threads, fast::Isa isa) {
  return std::make_unique<FastBackend>(std::clamp(threads, 1, 256), fast::cap_to_cpu(isa));
}

}  // namespace cvm
