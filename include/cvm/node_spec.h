/// @file
/// One node of a validated model as a backend's kernel factory sees it: the
/// op, its parsed attributes, the inferred types and which inputs are model
/// parameters. The fast (fast/kernel.h) and CUDA (cuda/kernel.h) kernel
/// factories take it; runtime/node_spec.h builds it from a Model.
#pragma once

#include <any>
#include <vector>

#include "cvm/op.h"

namespace cvm {

/// One node as a kernel factory sees it.
struct NodeSpec {
  const OpDef* op = nullptr;  ///< the node's operator
  std::any attrs;             ///< the op's parsed attribute struct
  Types inputs;               ///< the inferred type of each input
  Types outputs;              ///< the inferred type of each output
  /// constants[i] is input i's (host) value when it is a model parameter
  /// (fixed for the model's lifetime, so a factory may pack it once), else
  /// nullptr.
  std::vector<const Tensor*> constants;
};

}  // namespace cvm
