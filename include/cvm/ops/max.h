// Attributes of max (spec/ops/max.rst).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cvm {

struct MaxAttrs {
  std::vector<int64_t> axis;     // as written; () means every axis
  bool keepdims = false;
  bool exclude = false;
  std::string dtype = "int32";   // parsed, checked against the dtype names, then ignored
};

}  // namespace cvm
