// Attributes shared by the reduce operators sum and max (spec/ops/sum.rst,
// spec/ops/max.rst): both pages declare the same four attributes. Also the
// reduced set and the coalesced axis groups that the fast and CUDA kernels
// derive from them (header-only; compiles under nvcc too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cvm/shape.h"

namespace cvm {

/// The parsed attributes of sum and max.
struct ReduceAttrs {
  /// The axes named by the model, as written (negative entries count from the
  /// end); empty, i.e. (), means every axis.
  std::vector<int64_t> axis;
  /// Whether each reduced axis stays in the output shape with extent 1.
  bool keepdims = false;
  /// Whether axis lists the axes to keep rather than those to reduce.
  bool exclude = false;
  /// The dtype name as written: checked against the dtype names, then without
  /// effect (the result is always int32).
  std::string dtype = "int32";
};

/// The reduced set R of spec/ops/sum.rst ("Semantics"), the same for max:
/// red[i] is true when axis i is folded. axis = () folds every axis whatever
/// exclude says; otherwise the listed axes are folded, or with exclude every
/// axis but them. The axes must already be validated (in range, no
/// duplicates): this only normalises negative ones, it checks nothing.
inline std::vector<bool> reduced_axes(const ReduceAttrs& a, size_t rank) {
  std::vector<bool> red(rank, false);
  if (a.axis.empty()) {
    red.assign(rank, true);
    return red;
  }
  std::vector<bool> listed(rank, false);
  const auto n = static_cast<int64_t>(rank);
  for (int64_t v : a.axis) listed[static_cast<size_t>(v < 0 ? v + n : v)] = true;
  for (size_t i = 0; i < rank; ++i) red[i] = a.exclude ? !listed[i] : listed[i];
  return red;
}

/// x's shape regrouped for a reduction: runs of neighbouring axes of the same
/// status (all reduced or all kept) behave as one axis, because row-major
/// order walks such a run as one sequence of offsets, both in x and, for kept
/// runs, in y. Extent-1 axes are left out first: they move no offset, so a
/// kept or reduced run can merge across them (keepdims only adds such axes to
/// y, so it changes nothing here either).
struct ReduceGroups {
  std::vector<int64_t> dims;     ///< The extent of each group, outermost first.
  std::vector<bool> reduced;     ///< Whether each group is folded (true) or kept.
  std::vector<int64_t> strides;  ///< The row-major stride of each group within x, in elements.
};

/// The groups of `shape` under the reduced set `red` (reduced_axes). No group
/// has extent 1 and neighbouring groups alternate in status; there are none
/// when every axis has extent 1.
inline ReduceGroups reduce_groups(const Shape& shape, const std::vector<bool>& red) {
  ReduceGroups g;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1) continue;
    if (!g.dims.empty() && g.reduced.back() == red[i]) {
      g.dims.back() *= shape[i];
    } else {
      g.dims.push_back(shape[i]);
      g.reduced.push_back(red[i]);
    }
  }
  g.strides.assign(g.dims.size(), 1);
  for (size_t i = g.dims.size(); i-- > 1;) g.strides[i - 1] = g.strides[i] * g.dims[i];
  return g;
}

}  // namespace cvm
