// Attributes of dense (spec/ops/dense.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of dense (a matrix product with the transposed weight
/// matrix, plus an optional bias).
struct DenseAttrs {
  /// The number of output features, the weight's first dim; required, in
  /// [1, 2^31-1].
  int64_t units = 0;
  /// Whether a third input, the bias of shape (units), is added to every row.
  bool use_bias = true;
};

}  // namespace cvm
