// The engine's memory plan (spec/model/load.rst, "Memory plan").
#include "cvm/plan.h"

#include <algorithm>
#include <cstdint>

#include "cvm/model.h"
#include "runtime/slot_choice.h"

namespace cvm {

int64_t MemoryPlan::bytes() const {
  int64_t slots = 0;
  for (int64_t s : slot_elements) slots += s;
  return 4 * (param_elements + input_elements + slots + output_elements);
}

MemoryPlan plan_memory(const ModelGraph& g) {
  MemoryPlan plan;
  const size_t n_entries = g.entries.size();
  plan.slot_of_entry.assign(n_entries, -1);
  plan.freed_after.resize(g.nodes.size());

  // Last reader of each entry; heads live to the end.
  constexpr int64_t kNever = -1;
  constexpr int64_t kEnd = INT64_MAX;
  std::vector<int64_t> last_use(n_entries, kNever);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (int64_t e : g.nodes[i].inputs) last_use[static_cast<size_t>(e)] = static_cast<int64_t>(i);
  for (int64_t e : g.heads) last_use[static_cast<size_t>(e)] = kEnd;

  std::vector<bool> free_slot;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ModelNode& n = g.nodes[i];
    if (n.is_variable()) {
      const int64_t size = shape_size(g.entries[static_cast<size_t>(n.first_entry)].shape);
      (static_cast<int64_t>(i) == g.data_node ? plan.input_elements : plan.param_elements) += size;
      continue;
    }
    for (int k = 0; k < n.num_outputs; ++k) {
      const auto e = static_cast<size_t>(n.first_entry + k);
      const int64_t need = shape_size(g.entries[e].shape);
      int64_t slot = choose_slot(plan.slot_elements, need, [&](size_t s) { return free_slot[s]; });
      if (slot < 0) {
        slot = static_cast<int64_t>(plan.slot_elements.size());
        plan.slot_elements.push_back(0);
        free_slot.push_back(false);
      }
      auto& size = plan.slot_elements[static_cast<size_t>(slot)];
      size = std::max(size, need);
      free_slot[static_cast<size_t>(slot)] = false;
      plan.slot_of_entry[e] = slot;
    }
    // Free what this node was the last to read, and outputs nobody reads.
    auto release = [&](int64_t e) {
      const int64_t slot = plan.slot_of_entry[static_cast<size_t>(e)];
      // Variables are never in a slot; an entry read twice by one node is freed once.
      if (slot < 0 || free_slot[static_cast<size_t>(slot)]) return;
      free_slot[static_cast<size_t>(slot)] = true;
      plan.freed_after[i].push_back(e);
    };
    for (int64_t e : n.inputs)
      if (last_use[static_cast<size_t>(e)] == static_cast<int64_t>(i)) release(e);
    for (int k = 0; k < n.num_outputs; ++k)
      if (last_use[static_cast<size_t>(n.first_entry + k)] == kNever) release(n.first_entry + k);
  }
  for (int64_t e : g.heads) plan.output_elements += shape_size(g.entries[static_cast<size_t>(e)].shape);
  return plan;
}

}  // namespace cvm
