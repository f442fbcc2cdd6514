// The reference backend: each operator node runs its spec transcription
// (reference/<op>.cc), in node order, with buffers from the memory plan.
#include <mutex>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/plan.h"
#include "cvm/validate.h"

namespace cvm {
namespace {

class ReferenceProgram final : public Program {
 public:
  explicit ReferenceProgram(std::shared_ptr<const Model> model)
      : model_(std::move(model)), slots_(model_->plan().slot_elements.size()) {
    const ModelGraph& g = model_->graph();
    node_of_entry_.resize(g.entries.size());
    for (size_t i = 0; i < g.nodes.size(); ++i)
      for (int k = 0; k < g.nodes[i].num_outputs; ++k)
        node_of_entry_[static_cast<size_t>(g.nodes[i].first_entry + k)] = i;
  }

  std::vector<Tensor> run(const Tensor& data, const NodeObserver* observer) override {
    const ModelGraph& g = model_->graph();
    const MemoryPlan& plan = model_->plan();
    std::vector<Tensor> live(g.entries.size());  // operator outputs while they are needed

    auto value = [&](int64_t e) -> const Tensor& {
      const size_t node = node_of_entry_[static_cast<size_t>(e)];
      if (!g.nodes[node].is_variable()) return live[static_cast<size_t>(e)];
      return static_cast<int64_t>(node) == g.data_node ? data : model_->variable_values()[node];
    };

    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const ModelNode& n = g.nodes[i];
      if (n.is_variable()) continue;
      Inputs in;
      for (int64_t e : n.inputs) in.push_back(&value(e));
      // Each output takes its slot's buffer, zero-filled: which slot it gets
      // cannot change a value.
      std::vector<Tensor> outs(static_cast<size_t>(n.num_outputs));
      for (int k = 0; k < n.num_outputs; ++k) {
        const auto e = static_cast<size_t>(n.first_entry + k);
        Tensor& t = outs[static_cast<size_t>(k)];
        t.shape = g.entries[e].shape;
        t.precision = g.entries[e].precision;
        t.data = std::move(slots_[static_cast<size_t>(plan.slot_of_entry[e])]);
        t.data.assign(static_cast<size_t>(shape_size(t.shape)), 0);
      }
      Outputs out;
      for (Tensor& t : outs) out.push_back(&t);
      try {
        n.op->reference(n.attrs, in, out);
        assert_outputs_in_precision(n.op->name, outs);
      } catch (const RuntimeError& err) {
        throw RuntimeError(err.label(), str(g.describe(i), ": ", err.what()));
      }
      if (observer != nullptr) (*observer)(i, outs);
      for (int k = 0; k < n.num_outputs; ++k)
        live[static_cast<size_t>(n.first_entry + k)] = std::move(outs[static_cast<size_t>(k)]);
      for (int64_t e : plan.freed_after[i]) give_back(plan, live, e);
    }

    std::vector<Tensor> heads;
    for (int64_t e : g.heads) heads.push_back(value(e));
    for (size_t e = 0; e < live.size(); ++e)
      if (!live[e].data.empty()) give_back(plan, live, static_cast<int64_t>(e));
    return heads;
  }

 private:
  void give_back(const MemoryPlan& plan, std::vector<Tensor>& live, int64_t e) {
    slots_[static_cast<size_t>(plan.slot_of_entry[static_cast<size_t>(e)])] =
        std::move(live[static_cast<size_t>(e)].data);
    live[static_cast<size_t>(e)] = Tensor{};
  }

  std::shared_ptr<const Model> model_;
  std::vector<size_t> node_of_entry_;
  // Slot buffers are kept between runs only to avoid reallocating; their
  // contents are overwritten with zeros before every use.
  std::vector<std::vector<int32_t>> slots_;
};

class ReferenceBackend final : public Backend {
 public:
  std::string_view name() const override { return "reference"; }
  std::unique_ptr<Program> prepare(std::shared_ptr<const Model> model) const override {
    return std::make_unique<ReferenceProgram>(std::move(model));
  }
};

}  // namespace

const Backend& reference_backend() {
  static const ReferenceBackend backend;
  return backend;
}

}  // namespace cvm
