// Shift calibration for the example generators (make_examples.cc for the
// bundled examples, resnet18.cc for the benchmark model): the value of every
// entry of a graph under construction on one input, computed op by op as the
// graph grows, and the cvm_right_shift that brings an entry to precision 8
// using most of those 8 bits on that input.
//
// The shift (the "Requantization" paragraph of make_examples.cc says why) is
//
//   shift_bit = max(1, min(p_in - 8, bits(m) - 7))
//
// with p_in the entry's inferred precision and m its largest magnitude on the
// calibration input: the smallest shift that maps the observed range into
// [-127, 127], never more than the worst-case p_in - 8. Every kernel is exact
// integer arithmetic and the fast kernels give the reference's bits, so the
// shifts depend on the values drawn only, not on which kernels ran them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/graph.h"
#include "cvm/tensor.h"

namespace cvm::examples {

/// Runs one operator on input values and returns its outputs.
using OpRunner = std::function<std::vector<Tensor>(const std::string& op, const AttrMap& attrs,
                                                   const std::vector<Tensor>& inputs)>;

/// The reference kernels (run_reference: validation, tensor_c5, op_b1).
OpRunner reference_runner();
/// The fast kernels (fast/run_op.h) on a pool of their own with `threads`
/// threads: the reference's bits, for graphs too large for the reference.
OpRunner fast_runner(int threads);

/// max(1, min(p_in - 8, bits(m) - 7)), m the largest |v| of `values`.
int calibrated_shift(int p_in, std::span<const int32_t> values);

/// The value of each entry of a graph under construction on the calibration
/// input. The values may have a smaller batch than the graph's types (the
/// ResNet model calibrates on its first image whatever its batch).
class EntryValues {
 public:
  explicit EntryValues(OpRunner run) : run_(std::move(run)) {}

  /// Records the value of a variable entry.
  void set(EntryRef e, Tensor value) { values_[key(e)] = std::move(value); }
  /// The value of an entry recorded or computed so far.
  const Tensor& at(EntryRef e) const { return values_.at(key(e)); }
  /// Runs `op` on the values of `inputs` and records its results as the
  /// values of `outputs` (the entries the builder returned for the node).
  void run(const std::string& op, const AttrMap& attrs, const std::vector<EntryRef>& inputs,
           const std::vector<EntryRef>& outputs);
  /// The calibrated shift_bit for entry `x` of inferred precision `p_in`.
  int shift(EntryRef x, int p_in) const { return calibrated_shift(p_in, at(x).data); }
  /// Forgets an entry's value (one no later node reads), to bound memory.
  void forget(EntryRef e) { values_.erase(key(e)); }

 private:
  static std::pair<int64_t, int64_t> key(EntryRef e) { return {e.node, e.index}; }
  OpRunner run_;
  std::map<std::pair<int64_t, int64_t>, Tensor> values_;
};

}  // namespace cvm::examples
