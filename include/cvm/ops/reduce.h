// Attributes shared by the reduce operators sum and max (spec/ops/sum.rst,
// spec/ops/max.rst): both pages declare the same four attributes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cvm {

struct ReduceAttrs {
  std::vector<int64_t> axis;     // as written; () means every axis
  bool keepdims = false;
  bool exclude = false;
  std::string dtype = "int32";   // parsed, checked against the dtype names, then ignored
};

}  // namespace cvm
