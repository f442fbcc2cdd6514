// The shared validator and the reference evaluation of a single operator.
#pragma once

#include <any>
#include <string_view>

#include "cvm/op.h"

namespace cvm {

/// What validation of one operator application yields.
struct ValidatedOp {
  const OpDef* op = nullptr;  ///< The operator's registry entry (aliases resolved).
  std::any attrs;             ///< The parsed attribute struct of the operator (e.g. Conv2dAttrs).
  Types outputs;              ///< The inferred type (shape, precision) of each output.
  int64_t gas_weight = 0;     ///< The gas charged per element of output 0.
};

/// Validates one application of `op_name` (spec/common.rst, in this order):
/// known op (op_c0), attributes (attr_c1..c3 and the op's own), input count
/// (op_c1), input types (tensor_c1..c4), the op's constraints and rules, and
/// the output types (op_c2, op_c3). Throws LogicError naming the label.
ValidatedOp validate_op(std::string_view op_name, const AttrMap& attrs, const Types& inputs);

/// Result of running one operator.
struct OpRun {
  std::vector<Tensor> outputs;  ///< The computed outputs, in the operator's output order.
  int64_t gas_weight = 0;       ///< The gas charged per element of output 0.
};

/// tensor_c5: each input holds |shape| values, every one within its
/// precision (LogicError). Every backend checks this after validate_op, so
/// out-of-precision values are rejected alike everywhere.
void check_input_values(std::string_view op_name, const std::vector<Tensor>& inputs);

/// Validates, checks every input value against its precision (tensor_c5),
/// runs the reference kernel and asserts that every output value lies in its
/// inferred precision (op_b1).
OpRun run_reference(std::string_view op_name, const AttrMap& attrs, const std::vector<Tensor>& inputs);

/// op_b1: every output value lies in its tensor's precision (RuntimeError).
void assert_outputs_in_precision(std::string_view op_name, const std::vector<Tensor>& outputs);

}  // namespace cvm
