// Elementwise epilogues that a backend may fuse into conv2d and dense.
//
// A chain conv2d|dense -> s1 -> s2 ... where each s is cvm_right_shift,
// relu, clip or cvm_clip maps every element of the GEMM's (biased) sum
// through one int32 -> int32 function per step. The fast backend's chains
// from conv2d may also hold one elemwise_add of a value computed before the
// chain (a residual: the shortcut of a ResNet block), which adds that value's
// element at the same index. Applying the steps to the
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

/// One fused elementwise step: the scalar int32 -> int32 map of one
/// cvm_right_shift, relu, clip or cvm_clip node.
struct EpilogueStep {
  /// Which map the step applies: a rounding right shift followed by a clip
  /// (kRightShift), or a clip alone (kClip).
  enum class Kind : int32_t {
    kRightShift,  ///< The rounding right shift by shift_bit, then the clip to [lo, hi].
    kClip,        ///< The clip to [lo, hi] alone.
  } kind = Kind::kClip;  ///< The step's map; kClip by default.
  /// kRightShift: y = clip(((x >> (shift_bit - 1)) + 1) >> 1, lo, hi).
  int32_t shift_bit = 0;
  /// kClip (relu, clip, cvm_clip) and the clip of kRightShift: clip(x, lo, hi).
  int64_t lo = 0, hi = 0;  ///< The upper end of the clip, inclusive (lo, documented above, the lower end).
};

/// A chain of up to kMaxSteps steps applied, in order, to every element of a
/// conv2d or dense result before it is stored; its result equals the output
/// of the chain's last node.
struct Epilogue {
  /// Longer chains are fused up to this many steps; the rest run as nodes.
  static constexpr int kMaxSteps = 8;
  /// The steps in application order; only the first `count` are in use.
  EpilogueStep steps[kMaxSteps] = {};
  /// The number of steps in use, in [0, kMaxSteps].
  int32_t count = 0;
  /// Where >= 0, the residual (a tensor of the output's shape, passed to the
  /// kernel with the chain) is added after the first residual_at steps, in
  /// [0, count]: the map of an elemwise_add node in the chain, exact (its
  /// sum fits the add's output precision, at most 32: elemwise_add_b1).
  int32_t residual_at = -1;

  /// True when no step and no residual is fused: apply() is then the identity.
  constexpr bool empty() const { return count == 0 && residual_at < 0; }
  /// True when a residual is added (residual_at >= 0).
  constexpr bool has_residual() const { return residual_at >= 0; }
  /// True when kMaxSteps steps are fused and push() must not be called.
  constexpr bool full() const { return count == kMaxSteps; }
  /// Appends a step (the caller checks full() first).
  constexpr void push(const EpilogueStep& s) { steps[count++] = s; }
  /// The first step in use, for range-for loops.
  constexpr const EpilogueStep* begin() const { return steps; }
  /// One past the last step in use.
  constexpr const EpilogueStep* end() const { return steps + count; }

  /// The steps applied to one value x (the biased sum, which fits int32 by
  /// conv2d_b1 / dense_b1), with `residual` the residual's element at x's
  /// index where has_residual(); exact in int64, like the reference kernels.
  constexpr int32_t apply(int64_t x, int64_t residual = 0) const {
    for (int32_t i = 0; i < count; ++i) {
      if (i == residual_at) x += residual;
      const EpilogueStep& s = steps[i];
      if (s.kind == EpilogueStep::Kind::kRightShift) x = shr_floor(shr_floor(x, s.shift_bit - 1) + 1, 1);
      x = clip(x, s.lo, s.hi);
    }
    if (residual_at == count) x += residual;
    return static_cast<int32_t>(x);
  }
  /// The steps before the residual is added (all of them without one).
  constexpr Epilogue before_residual() const {
    Epilogue e;
    for (int32_t i = 0; i < (has_residual() ? residual_at : count); ++i) e.push(steps[i]);
    return e;
  }
  /// The residual's add and the steps after it (nothing without one).
  constexpr Epilogue from_residual() const {
    Epilogue e;
    if (!has_residual()) return e;
    e.residual_at = 0;
    for (int32_t i = residual_at; i < count; ++i) e.push(steps[i]);
    return e;
  }
};

/// The step for a fusable op (cvm_right_shift, relu, clip, cvm_clip) with its
/// parsed attributes, or nullopt for any other op.
std::optional<EpilogueStep> epilogue_step(const OpDef& op, const std::any& attrs);

}  // namespace cvm
