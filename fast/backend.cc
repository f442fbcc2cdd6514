// The fast backend: each node runs its fast/<op>.cc kernel, built once per
// model (weights packed then), in node order, with buffers from the memory
// plan, on a pool of threads. Part of cvm_runtime (it needs Model); the
// kernels are in cvm_fast.
#include <charconv>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/plan.h"
#include "runtime/entry_store.h"
#include "runtime/epilogue_chains.h"
#include "fast/epilogue.h"
#include "fast/kernel.h"

namespace cvm {
namespace {

using fast::NodeKernel;
using fast::NodeSpec;

class FastProgram final : public Program {
 public:
  FastProgram(std::shared_ptr<const Model> model, int threads)
      : Program(*model), model_(std::move(model)), pool_(threads) {
    const ModelGraph& g = model_->graph();
    node_of_entry_.resize(g.entries.size());
    for (size_t i = 0; i < g.nodes.size(); ++i)
      for (int k = 0; k < g.nodes[i].num_outputs; ++k)
        node_of_entry_[static_cast<size_t>(g.nodes[i].first_entry + k)] = i;
    kernels_.resize(g.nodes.size());
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const ModelNode& n = g.nodes[i];
      if (n.is_variable()) continue;
      const NodeSpec spec = node_spec(i);
      const fast::KernelFactory make = fast::find_kernel(n.op->name);
      if (make == nullptr) throw_runtime("fast", str(g.describe(i), ": no fast kernel"));
      kernels_[i] = make(spec);
    }
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
    const fast::Exec exec{&pool_};

    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const ModelNode& n = g.nodes[i];
      if (n.is_variable()) continue;
      if (fuse && fused_[i].member) {
        // Its value was computed with its chain's first node.
        store.free_after(i);
        continue;
      }
      // in_, outs_ and out_ keep their capacity from run to run.
      Inputs& in = in_;
      in.clear();
      for (int64_t e : n.inputs) in.push_back(&store.value(e));
      // The first node of a fused chain writes the chain's last output
      // directly (only without an observer, which wants every node's value).
      if (fuse && fused_[i].kernel) {
        const auto e = static_cast<size_t>(g.nodes[fused_[i].last].first_entry);
        std::vector<Tensor>& outs = outs_;
        outs.resize(1);
        outs[0] = store.take(e, /*zero=*/false);
        out_.assign(1, &outs[0]);
        try {
          fused_[i].kernel->run(in, out_, exec);
        } catch (const RuntimeError& err) {
          throw in_context(err, g.describe(i));
        }
        store.store(e, std::move(outs[0]));
        store.free_after(i);
        continue;
      }
      // Kernels write every output element, so a reused slot buffer needs no
      // clearing: only its size is set.
      std::vector<Tensor>& outs = outs_;
      outs.resize(static_cast<size_t>(n.num_outputs));
      for (int k = 0; k < n.num_outputs; ++k)
        outs[static_cast<size_t>(k)] = store.take(static_cast<size_t>(n.first_entry + k), /*zero=*/false);
      Outputs& out = out_;
      out.clear();
      for (Tensor& t : outs) out.push_back(&t);
      try {
        kernels_[i]->run(in, out, exec);
      } catch (const RuntimeError& err) {
        throw in_context(err, g.describe(i));
      }
      if (observer != nullptr) (*observer)(i, outs);
      for (int k = 0; k < n.num_outputs; ++k)
        store.store(static_cast<size_t>(n.first_entry + k), std::move(outs[static_cast<size_t>(k)]));
      store.free_after(i);
    }
    return store.finish();
  }

  struct Fused {
    std::unique_ptr<NodeKernel> kernel;  // set on a chain's first node
    size_t last = 0;                     // the chain's last node
    bool member = false;                 // a later node of a chain: skipped
  };

  // The kernel factory's view of node i: types, and the parameters among its
  // inputs as constants.
  NodeSpec node_spec(size_t i) const {
    const ModelGraph& g = model_->graph();
    const ModelNode& n = g.nodes[i];
    NodeSpec spec{.op = n.op, .attrs = n.attrs, .inputs = {}, .outputs = {}, .constants = {}};
    for (int64_t e : n.inputs) {
      spec.inputs.push_back(g.entries[static_cast<size_t>(e)]);
      const size_t src = node_of_entry_[static_cast<size_t>(e)];
      const bool param = g.nodes[src].is_variable() && static_cast<int64_t>(src) != g.data_node;
      spec.constants.push_back(param ? &model_->variable_values()[src] : nullptr);
    }
    for (int k = 0; k < n.num_outputs; ++k)
      spec.outputs.push_back(g.entries[static_cast<size_t>(n.first_entry + k)]);
    return spec;
  }

  // Runs each epilogue chain (runtime/epilogue_chains.h) as its first
  // node's fused kernel; the other members are skipped.
  void plan_fusion() {
    const ModelGraph& g = model_->graph();
    fused_.resize(g.nodes.size());
    for (const EpilogueChain& c : find_epilogue_chains(g)) {
      const ModelNode& n = g.nodes[c.first];
      NodeSpec spec = node_spec(c.first);
      spec.outputs = {g.entries[static_cast<size_t>(g.nodes[c.last].first_entry)]};
      fused_[c.first].kernel = n.op->name == "conv2d" ? fast::make_conv2d_fused(spec, c.epilogue)
                                                      : fast::make_dense_fused(spec, c.epilogue);
      fused_[c.first].last = c.last;
      for (size_t m : c.members) fused_[m].member = true;
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
  std::vector<std::unique_ptr<NodeKernel>> kernels_;
  std::vector<Fused> fused_;
  std::vector<size_t> node_of_entry_;
  std::unique_ptr<EntryStore> store_;           // fused runs
  std::unique_ptr<EntryStore> observed_store_;  // runs with an observer
  Inputs in_;
  std::vector<Tensor> outs_;
  Outputs out_;
};

class FastBackend final : public Backend {
 public:
  explicit FastBackend(int threads) : threads_(threads) {}
  std::string_view name() const override { return "fast"; }
  int threads() const override { return threads_; }
  std::unique_ptr<Program> prepare(std::shared_ptr<const Model> model) const override {
    return std::make_unique<FastProgram>(std::move(model), threads_);
  }

 private:
  int threads_;
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
  static const FastBackend backend(default_thread_count());
  return backend;
}

std::unique_ptr<Backend> make_fast_backend(int threads) {
  return std::make_unique<FastBackend>(std::clamp(threads, 1, 256));
}

}  // namespace cvm
