// Valid random applications of each operator: attributes and input types
// (shapes, precisions) drawn from a Chooser, accepted by the shared
// validator. Values are drawn separately (values.h), except where an op's
// semantics need particular values to exercise it (see input_values).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"
#include "cvm/validate.h"
#include "gen/chooser.h"

namespace cvm::gen {

/// What the caller wants from a generated case.
struct CaseRequest {
  /// When set, input 0 should have exactly this type if the op can take it
  /// (the model generator chains ops this way); ops that cannot take it
  /// (wrong rank for conv2d, precision too large...) ignore it.
  std::optional<TensorType> input0;
  /// Upper bound on the elements of every input and output tensor.
  int64_t max_elements = 4096;
  /// Upper bound on the work (multiply-adds, window elements) of the op,
  /// to keep conv2d/dense/pooling cases fast on the reference.
  int64_t max_work = 1 << 18;
};

/// A validated application.
struct GeneratedCase {
  std::string op;
  AttrMap attrs;
  Types inputs;
  ValidatedOp validated;  // output types and gas weight from validate_op
};

/// A valid case of `op`, or nullopt if none was found in a bounded number of
/// attempts (never loops forever; with a BytesChooser the choices may run out).
std::optional<GeneratedCase> generate_case(std::string_view op, Chooser& c,
                                           const CaseRequest& request = {});

/// Input values for a generated case: random_tensor for each input, except
/// where the op reads some input as indices or flags and needs them spread
/// over the interesting range (e.g. take's indices in and out of range,
/// cvm_lut's table indices); `extremes_only` as in random_tensor.
std::vector<Tensor> input_values(Chooser& c, const GeneratedCase& g, bool extremes_only = false);

/// A dimension for a generated shape: mostly small, sometimes at the tile
/// boundaries kernels block by (7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65),
/// never above `max`.
int64_t random_dim(Chooser& c, int64_t max = 65);

/// A shape of the given rank whose size is at most max_elements.
Shape random_shape(Chooser& c, int rank, int64_t max_elements);

/// A precision in [lo, hi], with lo, hi, 8 and 32 (when in range) favoured.
int random_precision(Chooser& c, int lo = 1, int hi = 32);

}  // namespace cvm::gen
