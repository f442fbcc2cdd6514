// fast == reference, bit for bit, for one operator application: the check
// behind the fast kernels' tests and RapidCheck properties.
#pragma once

#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"

namespace cvm::oracle {

/// Thread counts every comparison runs with: one, two, and more threads than
/// this machine has cores (uneven chunks).
inline const std::vector<int> kFastThreadCounts{1, 2, 7};

/// Runs `op` on the reference and on the fast kernels (with each thread count
/// of kFastThreadCounts, with the inputs passed first as runtime values and
/// then as packed constants, and on every ISA level the CPU has). Returns ""
/// when every run equals the reference bit for bit, or both reject alike (same error class and
/// label); otherwise a report naming op, attrs, shapes, thread count, the
/// first differing coordinate and both values.
std::string fast_vs_reference(const std::string& op, const AttrMap& attrs,
                              const std::vector<Tensor>& inputs);

/// A seeded tensor of precision p (gen::random_tensor over splitmix64): about
/// 1/4 of the values at the extremes +-R(p), 0, +-1, the rest uniform.
Tensor seeded_tensor(const Shape& shape, int precision, uint64_t seed);

/// GoogleTest wrapper: EXPECT that fast_vs_reference reports nothing.
void expect_fast_matches_reference(const std::string& op, const AttrMap& attrs,
                                   const std::vector<Tensor>& inputs);

}  // namespace cvm::oracle
