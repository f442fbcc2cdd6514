// The reference backend: each operator node runs its spec transcription
// (reference/<op>.cc), in node order, with buffers from the memory plan.
#include <mutex>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/plan.h"
#include "runtime/entry_store.h"
#include "cvm/validate.h"

namespace cvm {
namespace {

class ReferenceProgram final : public Program {
 public:
  explicit ReferenceProgram(std::shared_ptr<const Model> model)
      : Program(*model), model_(std::move(model)), store_(model_) {}

 private:
  std::vector<Tensor> run_checked(const Tensor& data, const NodeObserver* observer) override {
    const ModelGraph& g = model_->graph();
    store_.start(data);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const ModelNode& n = g.nodes[i];
      if (n.is_variable()) continue;
      Inputs in;
      for (int64_t e : n.inputs) in.push_back(&store_.value(e));
      // Each output takes its slot's buffer, zero-filled: which slot it gets
      // cannot change a value.
      std::vector<Tensor> outs;
      for (int k = 0; k < n.num_outputs; ++k)
        outs.push_back(store_.take(static_cast<size_t>(n.first_entry + k), /*zero=*/true));
      Outputs out;
      for (Tensor& t : outs) out.push_back(&t);
      try {
        n.op->reference(n.attrs, in, out);
        assert_outputs_in_precision(n.op->name, outs);
      } catch (const RuntimeError& err) {
        throw in_context(err, g.describe(i));
      }
      if (observer != nullptr) (*observer)(i, outs);
      for (int k = 0; k < n.num_outputs; ++k)
        store_.store(static_cast<size_t>(n.first_entry + k), std::move(outs[static_cast<size_t>(k)]));
      store_.free_after(i);
    }
    return store_.finish();
  }

  std::shared_ptr<const Model> model_;
  EntryStore store_;
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
