#include "runtime/entry_store.h"

namespace cvm {

EntryStore::EntryStore(std::shared_ptr<const Model> model)
    : model_(std::move(model)), slots_(model_->plan().slot_elements.size()) {
  const ModelGraph& g = model_->graph();
  node_of_entry_.resize(g.entries.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (int k = 0; k < g.nodes[i].num_outputs; ++k)
      node_of_entry_[static_cast<size_t>(g.nodes[i].first_entry + k)] = i;
}

void EntryStore::start(const Tensor& data) {
  data_ = &data;
  live_.assign(model_->graph().entries.size(), Tensor{});
}

const Tensor& EntryStore::value(int64_t e) const {
  const ModelGraph& g = model_->graph();
  const size_t node = node_of(e);
  if (!g.nodes[node].is_variable()) return live_[static_cast<size_t>(e)];
  return static_cast<int64_t>(node) == g.data_node ? *data_ : model_->variable_values()[node];
}

Tensor EntryStore::take(size_t e, bool zero) {
  const TensorType& type = model_->graph().entries[e];
  Tensor t;
  t.shape = type.shape;
  t.precision = type.precision;
  t.data = std::move(slots_[static_cast<size_t>(model_->plan().slot_of_entry[e])]);
  const auto n = static_cast<size_t>(shape_size(t.shape));
  if (zero) t.data.assign(n, 0);
  else t.data.resize(n);
  return t;
}

void EntryStore::give_back(int64_t e) {
  Tensor& t = live_[static_cast<size_t>(e)];
  // An entry computed inside a fused chain never took its slot: leave the
  // slot's buffer where it is.
  if (t.data.empty()) return;
  slots_[static_cast<size_t>(model_->plan().slot_of_entry[static_cast<size_t>(e)])] =
      std::move(t.data);
  t = Tensor{};
}

void EntryStore::free_after(size_t node) {
  for (int64_t e : model_->plan().freed_after[node]) give_back(e);
}

std::vector<Tensor> EntryStore::finish() {
  std::vector<Tensor> heads;
  for (int64_t e : model_->graph().heads) heads.push_back(value(e));
  for (size_t e = 0; e < live_.size(); ++e) give_back(static_cast<int64_t>(e));
  data_ = nullptr;
  return heads;
}

}  // namespace cvm
