// Epilogue chains (runtime/epilogue_chains.h).
#include "runtime/epilogue_chains.h"

#include <cstdint>
#include <optional>

#include "cvm/op_backend_traits.h"

namespace cvm {

std::vector<EpilogueChain> find_epilogue_chains(const ModelGraph& g, const ChainOptions& options) {
  // The node that produces each entry (variables included).
  std::vector<size_t> producer(g.entries.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (int k = 0; k < g.nodes[i].num_outputs; ++k) producer[static_cast<size_t>(g.nodes[i].first_entry + k)] = i;
  std::vector<int> uses(g.entries.size(), 0);
  std::vector<size_t> reader(g.entries.size(), 0);
  for (size_t j = 0; j < g.nodes.size(); ++j)
    for (int64_t e : g.nodes[j].inputs) {
      ++uses[static_cast<size_t>(e)];
      reader[static_cast<size_t>(e)] = j;
    }
  for (int64_t e : g.heads) uses[static_cast<size_t>(e)] += 2;  // never fuse a head away
  std::vector<EpilogueChain> chains;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ModelNode& n = g.nodes[i];
    if (n.is_variable() || !op_backend_traits(n.op->name).takes_epilogue) continue;
    EpilogueChain chain;
    chain.first = chain.last = i;
    while (!chain.epilogue.full()) {
      const auto e = static_cast<size_t>(g.nodes[chain.last].first_entry);
      if (uses[e] != 1) break;
      const ModelNode& next = g.nodes[reader[e]];
      // The residual add: the chain's value and an entry that exists when
      // the chain runs (at its first node); the steps after it follow.
      if (options.residual_adds && n.op->name == "conv2d" && !chain.epilogue.has_residual() &&
          next.op->name == "elemwise_add" && next.inputs.size() == 2) {
        const int64_t other = next.inputs[0] == static_cast<int64_t>(e) ? next.inputs[1] : next.inputs[0];
        if (other == static_cast<int64_t>(e) || producer[static_cast<size_t>(other)] >= chain.first) break;
        chain.epilogue.residual_at = chain.epilogue.count;
        chain.residual = other;
        chain.last = reader[e];
        chain.members.push_back(chain.last);
        continue;
      }
      const std::optional<EpilogueStep> step = epilogue_step(*next.op, next.attrs);
      if (!step) break;
      chain.epilogue.push(*step);
      chain.last = reader[e];
      chain.members.push_back(chain.last);
    }
    if (!chain.members.empty()) chains.push_back(std::move(chain));
  }
  return chains;
}

std::vector<bool> chain_outputs_keep_slots(const ModelGraph& g, const MemoryPlan& plan,
                                           const std::vector<EpilogueChain>& chains) {
  // Nodes at which each entry holds its slot, as the plan has it: [start,
  // end], from its producer to the node after which the plan frees it
  // (plan.freed_after; never for heads).
  constexpr int64_t kEnd = INT64_MAX;
  const size_t entries = g.entries.size();
  std::vector<int64_t> start(entries, 0), end(entries, kEnd);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (int k = 0; k < g.nodes[i].num_outputs; ++k)
      start[static_cast<size_t>(g.nodes[i].first_entry + k)] = static_cast<int64_t>(i);
    for (int64_t e : plan.freed_after[i]) end[static_cast<size_t>(e)] = static_cast<int64_t>(i);
  }

  // Entries that are not in memory at all (fused intermediates), and the
  // chains' outputs (placed below).
  std::vector<bool> skip(entries, false);
  for (const EpilogueChain& c : chains) {
    skip[static_cast<size_t>(g.nodes[c.first].first_entry)] = true;
    for (size_t m : c.members) skip[static_cast<size_t>(g.nodes[m].first_entry)] = true;
  }
  std::vector<std::vector<size_t>> in_slot(plan.slot_elements.size());
  for (size_t e = 0; e < entries; ++e) {
    const int64_t slot = plan.slot_of_entry[e];
    if (slot >= 0 && !skip[e]) in_slot[static_cast<size_t>(slot)].push_back(e);
  }
  std::vector<bool> keep;
  for (const EpilogueChain& c : chains) {
    const auto out = static_cast<size_t>(g.nodes[c.last].first_entry);
    const int64_t slot = plan.slot_of_entry[out];
    const int64_t from = static_cast<int64_t>(c.first), to = end[out];
    bool free = slot >= 0;
    if (free)
      for (size_t e : in_slot[static_cast<size_t>(slot)])
        if (start[e] <= to && from <= end[e]) free = false;
    if (free) {
      start[out] = from;
      in_slot[static_cast<size_t>(slot)].push_back(out);
    }
    keep.push_back(free);
  }
  return keep;
}

}  // namespace cvm
