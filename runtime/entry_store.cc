#include "runtime/entry_store.h"

#include <algorithm>
#include <atomic>
#include <climits>

#include "cvm/errors.h"
#include "runtime/slot_choice.h"

namespace cvm {

namespace {

std::atomic<uint64_t> g_takes{0}, g_allocations{0}, g_allocated_bytes{0}, g_zeroed_bytes{0};

void count(std::atomic<uint64_t>& c, uint64_t n) { c.fetch_add(n, std::memory_order_relaxed); }

// Elements a slot's buffer is grown by per run in steady state: each entry
// follows the previous one of its slot, the first one the last one of the
// run before.
int64_t growth_elements(const std::vector<std::vector<int64_t>>& sizes_in_slot) {
  int64_t grown = 0;
  for (const std::vector<int64_t>& sizes : sizes_in_slot)
    for (size_t j = 0; j < sizes.size(); ++j) {
      const int64_t before = sizes[j == 0 ? sizes.size() - 1 : j - 1];
      grown += std::max<int64_t>(0, sizes[j] - before);
    }
  return grown;
}

// Slots by the memory plan's rule (the smallest free slot that is large
// enough, else the largest free slot, grown, else a new one; ties to the
// lowest number), except that an entry of at least `own_size_from`
// elements only shares a slot with entries of its own size: such a slot
// never grows, so its buffer is never zero-filled again.
SlotLayout assign_slots(const ModelGraph& g, const MemoryPlan& plan, const std::vector<int64_t>& taken_at,
                        int64_t own_size_from) {
  SlotLayout layout;
  layout.slot_of_entry.assign(g.entries.size(), -1);
  std::vector<std::vector<size_t>> taken_by(g.nodes.size());
  for (size_t e = 0; e < taken_at.size(); ++e)
    if (taken_at[e] >= 0) taken_by[static_cast<size_t>(taken_at[e])].push_back(e);

  std::vector<bool> free_slot, own_size;
  std::vector<std::vector<int64_t>> sizes_in_slot;  // in take order
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (size_t e : taken_by[i]) {
      const int64_t need = shape_size(g.entries[e].shape);
      const bool own = need >= own_size_from;
      // An own-size entry only shares a slot of exactly its size.
      int64_t slot = choose_slot(layout.slot_elements, need, [&](size_t s) {
        return free_slot[s] && own_size[s] == own && (!own || layout.slot_elements[s] == need);
      });
      if (slot < 0) {
        slot = static_cast<int64_t>(layout.slot_elements.size());
        layout.slot_elements.push_back(0);
        free_slot.push_back(false);
        own_size.push_back(own);
        sizes_in_slot.emplace_back();
      }
      const auto s = static_cast<size_t>(slot);
      layout.slot_elements[s] = std::max(layout.slot_elements[s], need);
      free_slot[s] = false;
      sizes_in_slot[s].push_back(need);
      layout.slot_of_entry[e] = slot;
    }
    for (int64_t e : plan.freed_after[i]) {
      const int64_t slot = layout.slot_of_entry[static_cast<size_t>(e)];
      if (slot >= 0) free_slot[static_cast<size_t>(slot)] = true;
    }
  }
  layout.growth_elements = growth_elements(sizes_in_slot);
  return layout;
}

}  // namespace

EntryStoreCounters entry_store_counters() {
  return {g_takes.load(std::memory_order_relaxed), g_allocations.load(std::memory_order_relaxed),
          g_allocated_bytes.load(std::memory_order_relaxed), g_zeroed_bytes.load(std::memory_order_relaxed)};
}

int64_t SlotLayout::total_elements() const {
  int64_t total = 0;
  for (int64_t s : slot_elements) total += s;
  return total;
}

SlotLayout plan_slots(const ModelGraph& graph, const MemoryPlan& plan, const std::vector<int64_t>& taken_at,
                      bool avoid_growth) {
  constexpr int64_t kNone = INT64_MAX;
  SlotLayout best = assign_slots(graph, plan, taken_at, kNone);
  if (!avoid_growth || best.growth_elements == 0) return best;
  // Every size taken is a threshold to try; the budget is the larger of the
  // model's plan (what model_c6 checked) and the rule's layout.
  int64_t budget = 0;
  for (int64_t s : plan.slot_elements) budget += s;
  budget = std::max(budget, best.total_elements());
  std::vector<int64_t> sizes;
  for (size_t e = 0; e < taken_at.size(); ++e)
    if (taken_at[e] >= 0) sizes.push_back(shape_size(graph.entries[e].shape));
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  for (int64_t from : sizes) {
    SlotLayout l = assign_slots(graph, plan, taken_at, from);
    if (l.total_elements() > budget) continue;
    if (l.growth_elements < best.growth_elements ||
        (l.growth_elements == best.growth_elements && l.total_elements() < best.total_elements()))
      best = std::move(l);
  }
  return best;
}

namespace {

// The model's memory plan as a layout: each output taken by its node, in
// the plan's slots (whose sizes model_c6 has checked).
SlotLayout model_layout(const Model& model) {
  const ModelGraph& g = model.graph();
  const MemoryPlan& plan = model.plan();
  SlotLayout layout{plan.slot_of_entry, plan.slot_elements, 0};
  std::vector<std::vector<int64_t>> sizes_in_slot(plan.slot_elements.size());
  for (const ModelNode& n : g.nodes)
    if (!n.is_variable())
      for (int k = 0; k < n.num_outputs; ++k) {
        const auto e = static_cast<size_t>(n.first_entry + k);
        sizes_in_slot[static_cast<size_t>(plan.slot_of_entry[e])].push_back(shape_size(g.entries[e].shape));
      }
  layout.growth_elements = growth_elements(sizes_in_slot);
  return layout;
}

}  // namespace

EntryStore::EntryStore(std::shared_ptr<const Model> model) : EntryStore(model, model_layout(*model)) {}

EntryStore::EntryStore(std::shared_ptr<const Model> model, SlotLayout layout)
    : model_(std::move(model)), layout_(std::move(layout)), slots_(layout_.slot_elements.size()) {
  const ModelGraph& g = model_->graph();
  node_of_entry_.resize(g.entries.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (int k = 0; k < g.nodes[i].num_outputs; ++k)
      node_of_entry_[static_cast<size_t>(g.nodes[i].first_entry + k)] = i;
  live_.resize(g.entries.size());
}

void EntryStore::start(const Tensor& data) {
  data_ = &data;
  // Buffers a failed run left behind go back to their slots.
  for (size_t e = 0; e < live_.size(); ++e) give_back(e);
}

const Tensor& EntryStore::value(int64_t e) const {
  const ModelGraph& g = model_->graph();
  const size_t node = node_of(e);
  if (!g.nodes[node].is_variable()) return live_[static_cast<size_t>(e)];
  return static_cast<int64_t>(node) == g.data_node ? *data_ : model_->variable_values()[node];
}

Tensor EntryStore::take(size_t e, bool zero) {
  const TensorType& type = model_->graph().entries[e];
  const int64_t slot = layout_.slot_of_entry[e];
  if (slot < 0) throw_logic("entry_store", str("entry ", e, " has no slot in this store's layout"));
  Tensor t = std::move(live_[e]);
  if (t.shape != type.shape) t.shape = type.shape;  // only the first time (or after a failed run)
  t.precision = type.precision;
  t.data = std::move(slots_[static_cast<size_t>(slot)]);
  const auto n = static_cast<size_t>(shape_size(type.shape));
  const auto full = static_cast<size_t>(layout_.slot_elements[static_cast<size_t>(slot)]);
  count(g_takes, 1);
  if (t.data.capacity() < full) {
    // The slot's one allocation, at the size of its largest entry.
    count(g_allocations, 1);
    count(g_allocated_bytes, 4 * full);
    t.data.clear();
    t.data.reserve(full);
  }
  if (zero) {
    count(g_zeroed_bytes, 4 * n);
    t.data.assign(n, 0);
  } else {
    // Shrinking writes nothing; growing value-initialises the new elements.
    if (n > t.data.size()) count(g_zeroed_bytes, 4 * (n - t.data.size()));
    t.data.resize(n);
  }
  return t;
}

void EntryStore::give_back(size_t e) {
  std::vector<int32_t>& data = live_[e].data;
  // Nothing to give back: a variable, an entry computed inside a fused chain
  // (never taken), or one already given back.
  if (data.capacity() == 0) return;
  std::vector<int32_t>& home = slots_[static_cast<size_t>(layout_.slot_of_entry[e])];
  // The slot is empty here (no two live entries share a slot); the larger
  // buffer is kept in any case.
  if (data.capacity() > home.capacity()) std::swap(home, data);
  data = std::vector<int32_t>();
}

void EntryStore::free_after(size_t node) {
  for (int64_t e : model_->plan().freed_after[node]) give_back(static_cast<size_t>(e));
}

std::vector<Tensor> EntryStore::finish() {
  std::vector<Tensor> heads;
  heads.reserve(model_->graph().heads.size());
  for (int64_t e : model_->graph().heads) heads.push_back(value(e));
  for (size_t e = 0; e < live_.size(); ++e) give_back(e);
  data_ = nullptr;
  return heads;
}

}  // namespace cvm
