// Finding the epilogue chains a backend fuses (cvm/epilogue.h), and where a
// backend with fixed device addresses may put their outputs.
#pragma once

#include <cstddef>
#include <vector>

#include "cvm/epilogue.h"
#include "cvm/model.h"
#include "cvm/plan.h"

namespace cvm {

/// conv2d|dense node `first` followed by the fusable nodes `members` (in
/// chain order; the last one is `last`): each intermediate output has
/// exactly one reader (the next step) and is not a head, so running `first`
/// with `epilogue` and storing into last's output replaces the whole chain.
struct EpilogueChain {
  size_t first = 0;
  size_t last = 0;
  std::vector<size_t> members;
  Epilogue epilogue;
  /// The entry the chain's elemwise_add adds (epilogue.residual_at), else -1.
  int64_t residual = -1;
};

/// What a backend's fused kernels can run.
struct ChainOptions {
  /// Chains from conv2d may take one elemwise_add of the chain's value and
  /// an entry produced before the chain's first node (so it exists when the
  /// chain runs there), of the same shape (elemwise_add_c1). The fast
  /// backend's conv2d kernels add it; the CUDA backend's do not.
  bool residual_adds = false;
};

/// Every chain of the graph with at least one step (at most
/// Epilogue::kMaxSteps), in node order of `first`. Deterministic.
std::vector<EpilogueChain> find_epilogue_chains(const ModelGraph& graph, const ChainOptions& options = {});

/// For a backend that gives every entry the fixed address of its slot in
/// `plan` and runs each chain when its first node comes (writing the last
/// output then, not when the last node comes): whether chain k's output may
/// keep its slot. It may not when another entry that is materialised (not a
/// fused intermediate) shares the slot and is live at some node from
/// `first` to before `last` (the chain's input, say, freed after `first`
/// and its slot given to a later step); such an output needs memory of its
/// own. Chains are taken in order and an output kept in its slot counts as
/// live from its chain's first node on, so the kept outputs and the other
/// entries of each slot are live at disjoint nodes.
std::vector<bool> chain_outputs_keep_slots(const ModelGraph& graph, const MemoryPlan& plan,
                                           const std::vector<EpilogueChain>& chains);

}  // namespace cvm
