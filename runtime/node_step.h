// One step of a program's node loop, shared by the reference and fast
// programs (runtime/reference_backend.cc, runtime/fast_backend.cc): what
// happens around a node's kernel is the same on both, only the kernel and
// whether output buffers are zero-filled differ.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "runtime/entry_store.h"

namespace cvm {

class NodeStep {
 public:
  /// Runs node i: its inputs are read from `store`; the `count` entries from
  /// `first_entry` on are taken from it as outputs (zero-filled when `zero`;
  /// else the kernel must write every element); `kernel(in, out)` runs, a
  /// RuntimeError it throws is relabelled with the node ("node i (op)"); the
  /// observer, if any, sees the outputs; they are stored and every entry
  /// whose last reader is node i is freed. A fused chain's first node passes
  /// the chain's output entry as its single output, and the entry its
  /// residual add reads, if any, as `extra_input` (after the node's inputs).
  template <typename Kernel>
  void run(EntryStore& store, const ModelGraph& g, size_t i, int64_t first_entry, int count, bool zero,
           const NodeObserver* observer, Kernel&& kernel, int64_t extra_input = -1) {
    const ModelNode& n = g.nodes[i];
    // in_, outs_ and out_ keep their capacity from run to run.
    in_.clear();
    for (int64_t e : n.inputs) in_.push_back(&store.value(e));
    if (extra_input >= 0) in_.push_back(&store.value(extra_input));
    outs_.resize(static_cast<size_t>(count));
    for (int k = 0; k < count; ++k)
      outs_[static_cast<size_t>(k)] = store.take(static_cast<size_t>(first_entry + k), zero);
    out_.clear();
    for (Tensor& t : outs_) out_.push_back(&t);
    try {
      std::forward<Kernel>(kernel)(in_, out_);
    } catch (const RuntimeError& err) {
      throw in_context(err, g.describe(i));
    }
    if (observer != nullptr) (*observer)(i, outs_);
    for (int k = 0; k < count; ++k)
      store.store(static_cast<size_t>(first_entry + k), std::move(outs_[static_cast<size_t>(k)]));
    store.free_after(i);
  }

  /// The current node's outputs (valid while its kernel runs).
  const std::vector<Tensor>& outputs() const { return outs_; }

 private:
  Inputs in_;
  std::vector<Tensor> outs_;
  Outputs out_;
};

}  // namespace cvm
