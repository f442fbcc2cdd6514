// The engine's memory plan (spec/model/load.rst, "Memory plan"): which slot
// holds each operator output, and when slots are freed.
#pragma once

#include <cstdint>
#include <vector>

namespace cvm {

struct ModelGraph;

/// Where every entry of a model lives during an inference: entries whose
/// lifetimes do not overlap share a slot, and no slot ever holds two live
/// entries (so storage ids never make values alias, E-model-1).
struct MemoryPlan {
  std::vector<int64_t> slot_of_entry;    ///< -1 for variable entries
  std::vector<int64_t> slot_elements;    ///< size of each slot, in int32 elements
  /// Entries whose slot is freed after node i runs.
  std::vector<std::vector<int64_t>> freed_after;
  int64_t param_elements = 0;  ///< all variable values except data
  int64_t input_elements = 0;   ///< elements of the input data
  int64_t output_elements = 0;  ///< sum of head sizes
  /// Bytes the engine needs: 4 * (params + input + slots + outputs).
  int64_t bytes() const;
};

/// Computes the plan; depends on the symbol only, deterministic.
MemoryPlan plan_memory(const ModelGraph& graph);

}  // namespace cvm
