// Attributes of cvm_lut (spec/ops/cvm_lut.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of cvm_lut (a table look-up: each index of the first
/// input selects one entry of the table).
struct CvmLutAttrs {
  /// The number of table entries; required, and must equal the table's element
  /// count.
  int64_t in_dim = 0;
};

}  // namespace cvm
