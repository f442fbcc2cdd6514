// Fusion of elementwise epilogues into conv2d and dense.
//
// The engine (fast/backend.cc) fuses a chain conv2d|dense -> s1 -> s2 ...
// where each s is cvm_right_shift, relu, clip or cvm_clip, and each
// intermediate result has exactly one consumer (the next step) and is not a
// head. Each step maps one int32 value to one int32 value, exactly as its
// reference kernel does, so applying the steps to the accumulator before
// storing gives the chain's bits (spec/model/inference.rst: backends must
// equal the reference node by node on every head).
#pragma once

#include <any>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "fast/kernel.h"

namespace cvm::fast {

struct EpilogueStep {
  enum class Kind { kRightShift, kClip } kind = Kind::kClip;
  /// kRightShift: y = clip(((x >> (shift_bit - 1)) + 1) >> 1, lo, hi).
  int shift_bit = 0;
  /// kClip (relu, clip, cvm_clip) and the clip of kRightShift: clip(x, lo, hi).
  int64_t lo = 0, hi = 0;
};

struct Epilogue {
  std::vector<EpilogueStep> steps;
  /// The steps applied to one value (scalar, exact: the portable definition).
  int32_t apply(int64_t x) const;
};

/// The step for a fusable op (cvm_right_shift, relu, clip, cvm_clip), or
/// nullopt for any other op.
std::optional<EpilogueStep> epilogue_step(const OpDef& op, const std::any& attrs);

/// conv2d / dense kernels with the epilogue applied before each store;
/// spec is the conv2d/dense node, its output type replaced by the chain's
/// last output type.
std::unique_ptr<NodeKernel> make_conv2d_fused(const NodeSpec& spec, const Epilogue& epilogue);
std::unique_ptr<NodeKernel> make_dense_fused(const NodeSpec& spec, const Epilogue& epilogue);

}  // namespace cvm::fast
