// The values of one run's entries, shared by every backend's Program:
// variables (data and params) are read in place; operator outputs live in
// buffers taken from the memory plan's slots and given back once their last
// reader has run (plan.freed_after). Slot buffers are kept between runs only
// to avoid reallocating; a buffer never carries a value from one run to the
// next (the reference zeroes it, fast kernels overwrite every element).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "cvm/model.h"
#include "cvm/plan.h"

namespace cvm {

class EntryStore {
 public:
  explicit EntryStore(std::shared_ptr<const Model> model);

  /// Starts a run on `data` (kept by reference until finish()).
  void start(const Tensor& data);
  /// The node that produces entry e.
  size_t node_of(int64_t e) const { return node_of_entry_[static_cast<size_t>(e)]; }
  /// Entry e's value: data, a parameter, or a live operator output.
  const Tensor& value(int64_t e) const;
  /// A tensor of entry e's type holding its slot's buffer, sized; zero-filled
  /// when `zero`, else with unspecified contents.
  Tensor take(size_t e, bool zero);
  /// Makes `t` the value of entry e.
  void store(size_t e, Tensor t) { live_[e] = std::move(t); }
  /// Gives back the buffers of the entries whose last reader is `node`.
  void free_after(size_t node);
  /// The heads' values; every buffer goes back to its slot.
  std::vector<Tensor> finish();

 private:
  void give_back(int64_t e);

  std::shared_ptr<const Model> model_;
  std::vector<size_t> node_of_entry_;
  std::vector<std::vector<int32_t>> slots_;
  std::vector<Tensor> live_;  // operator outputs while they are needed
  const Tensor* data_ = nullptr;
};

}  // namespace cvm
