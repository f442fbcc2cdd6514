// The memory plan's choice of a slot for an entry (spec/model/load.rst),
// shared by the model's plan (plan.cc) and the layouts of backends that take
// entries on their own schedule (entry_store.cc, plan_slots).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cvm {

/// Among the slots s with usable(s): the smallest one holding at least
/// `need` elements, else the largest one (which the caller grows); -1 when
/// no slot is usable (the caller opens a new one). Ties go to the lowest
/// index, as the rule says.
template <class Usable>
int64_t choose_slot(const std::vector<int64_t>& slot_elements, int64_t need, Usable usable) {
  int64_t best_fit = -1, largest = -1;
  for (size_t s = 0; s < slot_elements.size(); ++s) {
    if (!usable(s)) continue;
    const int64_t have = slot_elements[s];
    if (have >= need && (best_fit < 0 || have < slot_elements[static_cast<size_t>(best_fit)]))
      best_fit = static_cast<int64_t>(s);
    if (largest < 0 || have > slot_elements[static_cast<size_t>(largest)]) largest = static_cast<int64_t>(s);
  }
  return best_fit >= 0 ? best_fit : largest;
}

}  // namespace cvm
