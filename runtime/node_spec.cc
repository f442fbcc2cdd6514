#include "runtime/node_spec.h"

namespace cvm {

std::vector<size_t> entry_producers(const ModelGraph& g) {
  std::vector<size_t> producer(g.entries.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (int k = 0; k < g.nodes[i].num_outputs; ++k)
      producer[static_cast<size_t>(g.nodes[i].first_entry + k)] = i;
  return producer;
}

NodeSpec node_spec(const Model& model, const std::vector<size_t>& producer, size_t i) {
  const ModelGraph& g = model.graph();
  const ModelNode& n = g.nodes[i];
  NodeSpec spec{.op = n.op, .attrs = n.attrs, .inputs = {}, .outputs = {}, .constants = {}};
  for (int64_t e : n.inputs) {
    spec.inputs.push_back(g.entries[static_cast<size_t>(e)]);
    const size_t src = producer[static_cast<size_t>(e)];
    // The data node is a variable too, but its value changes every run.
    const bool param = g.nodes[src].is_variable() && static_cast<int64_t>(src) != g.data_node;
    spec.constants.push_back(param ? &model.variable_values()[src] : nullptr);
  }
  for (int k = 0; k < n.num_outputs; ++k) spec.outputs.push_back(g.entries[static_cast<size_t>(n.first_entry + k)]);
  return spec;
}

}  // namespace cvm
