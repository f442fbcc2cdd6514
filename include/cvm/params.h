// The params file of a model: a binary list of named int arrays
// (spec/model/params.rst).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cvm/shape.h"

namespace cvm {

/// One named array of a params file: a parameter of the model.
struct ParamArray {
  /// The key: the name of the variable node it binds (at most 2^16 bytes).
  std::string name;
  int bits = 32;  ///< element width in the file: 8 or 32
  /// The array's shape as the file records it; data holds |shape| elements.
  Shape shape;
  std::vector<int32_t> data;  ///< int8 elements sign-extended
  /// Field-wise equality, used by the write/parse round-trip checks.
  friend bool operator==(const ParamArray&, const ParamArray&) = default;
};

/// Reads a params file. Throws LogicError(params_c1..params_c8). Never
/// allocates more than the file's own length.
std::vector<ParamArray> parse_params(std::string_view bytes);

/// Writes a params file (reserved 0, device (1, 0), each array in its own
/// width, 8 or 32 bits, in the given order). int8 arrays must hold int8 values.
std::string write_params(const std::vector<ParamArray>& arrays);

}  // namespace cvm
