// The values of one run's entries, shared by every backend's Program:
// variables (data and params) are read in place; operator outputs live in
// buffers taken from slots and given back once their last reader has run
// (plan.freed_after). Slot buffers are kept between runs only to avoid
// reallocating; a buffer never carries a value from one run to the next (the
// reference zeroes it, fast kernels overwrite every element).
//
// Steady state: each slot's buffer is allocated once, at the largest size
// any of its entries needs, and always comes back to its own slot, because no
// slot is ever given to two entries that are live at once. So from the
// second run on take() allocates nothing; what it may still write is the
// zeros of `zero`, and, without it, the zeros std::vector writes when an
// entry is larger than the one before it in the same slot (counted in
// zeroed_bytes; a layout for a backend that takes without `zero` puts
// entries of one size together where it can, to keep that near 0).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "cvm/model.h"
#include "cvm/plan.h"

namespace cvm {

/// What every EntryStore of the process has done with its buffers since the
/// process started (for tests and benchmarks: take the difference around a
/// run). Counted with relaxed atomics, so concurrent runs only add up.
struct EntryStoreCounters {
  uint64_t takes = 0;            ///< take() calls
  uint64_t allocations = 0;      ///< takes whose slot had no buffer large enough
  uint64_t allocated_bytes = 0;  ///< bytes those allocations asked for
  uint64_t zeroed_bytes = 0;     ///< bytes take() filled with zeros
};
EntryStoreCounters entry_store_counters();

/// Which slot holds each entry a backend takes, and each slot's size.
struct SlotLayout {
  std::vector<int64_t> slot_of_entry;  ///< -1 for entries never taken
  std::vector<int64_t> slot_elements;  ///< int32 elements of each slot
  /// Elements take() zero-fills per run in steady state without `zero` (an
  /// entry larger than its slot's previous one grows the buffer).
  int64_t growth_elements = 0;
  int64_t total_elements() const;
};

/// The layout for a backend that takes entry e's buffer when node
/// taken_at[e] runs (-1: never, as for a value computed inside a fused
/// chain) and gives it back after plan.freed_after. Slots follow the memory
/// plan's rule (spec/model/load.rst) on that schedule, so no slot holds two
/// entries live at once even where an entry is taken before its producer
/// runs (a fused chain's output). With `avoid_growth` (for a backend that
/// takes without `zero`), entries of at least some size only share slots
/// with entries of their own size, so that those slots never grow: the
/// threshold that leaves the least growth_elements within the memory of the
/// larger of the model's plan (what model_c6 checked) and the rule's layout.
SlotLayout plan_slots(const ModelGraph& graph, const MemoryPlan& plan,
                      const std::vector<int64_t>& taken_at, bool avoid_growth);

class EntryStore {
 public:
  /// The model's memory plan: every output is taken when its node runs.
  explicit EntryStore(std::shared_ptr<const Model> model);
  /// A backend taking entries on another schedule (see plan_slots).
  EntryStore(std::shared_ptr<const Model> model, SlotLayout layout);

  /// Starts a run on `data` (kept by reference until finish()).
  void start(const Tensor& data);
  /// The node that produces entry e.
  size_t node_of(int64_t e) const { return node_of_entry_[static_cast<size_t>(e)]; }
  /// Entry e's value: data, a parameter, or a live operator output.
  const Tensor& value(int64_t e) const;
  /// A tensor of entry e's type holding its slot's buffer, sized; zero-filled
  /// when `zero`, else with unspecified contents. Entry e must have a slot.
  Tensor take(size_t e, bool zero);
  /// Makes `t` the value of entry e.
  void store(size_t e, Tensor t) { live_[e] = std::move(t); }
  /// Gives back the buffers of the entries whose last reader is `node`.
  void free_after(size_t node);
  /// The heads' values; every buffer goes back to its slot.
  std::vector<Tensor> finish();
  /// The slots this store uses.
  const SlotLayout& layout() const { return layout_; }

 private:
  void give_back(size_t e);

  std::shared_ptr<const Model> model_;
  SlotLayout layout_;
  std::vector<size_t> node_of_entry_;
  std::vector<std::vector<int32_t>> slots_;
  // Operator outputs while they are needed. Between runs an entry keeps its
  // shape here (its buffer back in its slot), so take() copies no shape.
  std::vector<Tensor> live_;
  const Tensor* data_ = nullptr;
};

}  // namespace cvm
