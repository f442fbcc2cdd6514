// Elementwise epilogues that a backend may fuse into conv2d and dense.
//
// A chain conv2d|dense -> s1 -> s2 ... where each s is cvm_right_shift,
// relu, clip or cvm_clip maps every element of the GEMM's (biased) sum
// through one int32 -> int32 function per step. Applying the steps to the
// sum before it is stored gives exactly the chain's last output: each step
// is the scalar map of its reference kernel (core/epilogue.cc cites the
// bounds), and backends must equal the reference node by node on every head
// (spec/model/inference.rst). The fast and CUDA backends find the chains
// with runtime/epilogue_chains.h.
//
// Epilogue is a plain struct with a fixed number of steps and a constexpr
// apply(), so the CUDA kernels take it by value and call apply() on the
// device (nvcc --expt-relaxed-constexpr).
#pragma once

#include <any>
#include <cstdint>
#include <optional>

#include "cvm/intmath.h"

namespace cvm {

struct OpDef;

struct EpilogueStep {
  enum class Kind : int32_t { kRightShift, kClip } kind = Kind::kClip;
  /// kRightShift: y = clip(((x >> (shift_bit - 1)) + 1) >> 1, lo, hi).
  int32_t shift_bit = 0;
  /// kClip (relu, clip, cvm_clip) and the clip of kRightShift: clip(x, lo, hi).
  int64_t lo = 0, hi = 0;
};

struct Epilogue {
  /// Longer chains are fused up to this many steps; the rest run as nodes.
  static constexpr int kMaxSteps = 8;
  EpilogueStep steps[kMaxSteps] = {};
  int32_t count = 0;

  constexpr bool empty() const { return count == 0; }
  constexpr bool full() const { return count == kMaxSteps; }
  /// Appends a step (the caller checks full() first).
  constexpr void push(const EpilogueStep& s) { steps[count++] = s; }
  constexpr const EpilogueStep* begin() const { return steps; }
  constexpr const EpilogueStep* end() const { return steps + count; }

  /// The steps applied to one value x (the biased sum, which fits int32 by
  /// conv2d_b1 / dense_b1); exact in int64, like the reference kernels.
  constexpr int32_t apply(int64_t x) const {
    for (int32_t i = 0; i < count; ++i) {
      const EpilogueStep& s = steps[i];
      if (s.kind == EpilogueStep::Kind::kRightShift) x = shr_floor(shr_floor(x, s.shift_bit - 1) + 1, 1);
      x = clip(x, s.lo, s.hi);
    }
    return static_cast<int32_t>(x);
  }
};

/// The step for a fusable op (cvm_right_shift, relu, clip, cvm_clip) with its
/// parsed attributes, or nullopt for any other op.
std::optional<EpilogueStep> epilogue_step(const OpDef& op, const std::any& attrs);

}  // namespace cvm
