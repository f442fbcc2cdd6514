// The reference backend: each operator node runs its spec transcription
// (reference/<op>.cc), in node order, with buffers from the memory plan.
#include <mutex>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/plan.h"
#include "cvm/validate.h"
#include "runtime/entry_store.h"
#include "runtime/node_step.h"

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
      // Each output takes its slot's buffer, zero-filled: which slot it gets
      // cannot change a value.
      step_.run(store_, g, i, n.first_entry, n.num_outputs, /*zero=*/true, observer,
                [this, &n](const Inputs& in, const Outputs& out) {
                  n.op->reference(n.attrs, in, out);
                  assert_outputs_in_precision(n.op->name, step_.outputs());
                });
    }
    return store_.finish();
  }

  std::shared_ptr<const Model> model_;
  EntryStore store_;
  NodeStep step_;
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
