// Random valid models built over the op table: the whole-model properties
// (fast == reference), the live bounds cross-check and the whole-model fuzz
// target use them.
#pragma once

#include <string>
#include <vector>

#include "cvm/tensor.h"
#include "gen/chooser.h"

namespace cvm::gen {

struct RandomModelOptions {
  int max_ops = 12;             ///< operator nodes drawn (adapters come on top)
  int64_t max_elements = 4096;  ///< per tensor
  int64_t max_work = 1 << 16;   ///< per node (see CaseRequest)
  bool extremes_only = false;   ///< data and params only at +-R(p), 0, +-1
};

struct RandomModel {
  std::string symbol;  ///< graph JSON (cvm_1.0.0)
  std::string params;  ///< params file bytes
  Tensor input;        ///< a value for "data", within its precision
  std::vector<std::string> ops;  ///< the operator of every op node, in order
};

/// A model that Model::load accepts. Ops are chained: each new op takes an
/// earlier output as its first input when it can (through a cvm_clip to a
/// smaller precision where the op needs one), otherwise a parameter; other
/// inputs are parameters or, when the types fit, earlier outputs (residual
/// joins). The last output and sometimes another are heads. Tensor values
/// come from `values` when given (a RapidCheck property draws the structure
/// from RapidCheck and the values from a seeded stream), else from `c`.
RandomModel random_model(Chooser& c, const RandomModelOptions& options = {},
                         Chooser* values = nullptr);

}  // namespace cvm::gen
