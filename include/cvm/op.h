// The operator registry: one OpDef per operator of spec/ops.json.
//
// An OpDef is the executable form of one spec page (spec/ops/<op>.rst):
// attribute parsing and ranges, input count, constraints, shape and precision
// rules, gas weight, and the reference kernel. Every backend validates through
// the same OpDef, so all backends accept and reject exactly the same inputs.
#pragma once

#include <any>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/errors.h"
#include "cvm/intmath.h"
#include "cvm/tensor.h"

namespace cvm {

/// Attribute struct of operators that take no attributes.
struct NoAttrs {};

/// num_inputs value of a variadic operator: any count >= 1.
inline constexpr int kVariadic = -1;

/// The input tensors of one operator application, in the operator's input order.
using Inputs = std::vector<const Tensor*>;
/// The output tensors a kernel writes, in the operator's output order; their
/// shapes and precisions are set by validation before the kernel runs.
using Outputs = std::vector<Tensor*>;
/// The types (shape, precision) of an application's inputs or outputs.
using Types = std::vector<TensorType>;

/// Attribute parser for ops without attributes (their schema rejects any key).
std::any parse_no_attrs(AttrReader& reader);
/// Gas weight 1 (most ops).
int64_t gas_weight_one(const std::any& attrs, const Types& inputs, const Types& outputs);

/// One operator of the registry (spec/ops.json): its name and the functions
/// that implement its page: attribute parsing, input count, shape and
/// precision rules, gas weight, and the reference kernel. reference/\<op\>.cc
/// gives the functions (op_def_\<op\>()); the registry adds the fields its
/// spec/ops.json row states (name, num_outputs, in_place), so neither is
/// written twice.
struct OpDef {
  /// The operator's name as a symbol writes it in func_name, e.g. "conv2d"
  /// (the row's "name").
  std::string_view name = {};
  /// Reads the attributes and checks their meaning (the op's own labels);
  /// returns the op's attribute struct. The validator has checked them against attr_schema()
  /// first (attr_c0 ... attr_c4); an absent key reads as the page's default.
  /// The default, parse_no_attrs, is that of an op without attributes.
  std::any (*parse_attrs)(AttrReader& reader) = parse_no_attrs;
  /// Number of inputs under these attributes, or kVariadic (op_c1).
  int (*num_inputs)(const std::any& attrs);
  /// The number of outputs every application produces (the row's "outputs":
  /// 2 for get_valid_counts, 1 for the others).
  int num_outputs = 1;
  /// Checks the op's constraints on the input types and returns the output
  /// types (shape rule + precision rule). Throws LogicError(<op>_cN).
  Types (*infer)(const std::any& attrs, const Types& inputs);
  /// Gas weight: the cost charged per element of output 0 (default: 1).
  int64_t (*gas_weight)(const std::any& attrs, const Types& inputs,
                        const Types& outputs) = gas_weight_one;
  /// The reference kernel. Inputs are valid and within their precisions;
  /// outputs arrive with the inferred shape and precision and zeroed data.
  /// Asserts the op's bounds (RuntimeError(<op>_bN)).
  void (*reference)(const std::any& attrs, const Inputs& inputs, const Outputs& outputs);
  /// Upstream's in-place list: the output may share storage with input 0
  /// (the row's "in_place").
  bool in_place = false;
  /// The keys, types, defaults and parser bounds of upstream's parameter
  /// struct for the op: the attribute block of its page (attr_schema_of,
  /// looked up once, when the registry builds the table).
  const AttrSchema* schema = nullptr;
  /// *schema; for an OpDef made outside the registry, the lookup by name.
  const AttrSchema& attr_schema() const { return schema ? *schema : attr_schema_of(name); }
};

/// Looks up an operator by its canonical name; nullptr if unknown.
const OpDef* find_op(std::string_view name);

/// The operator an upstream alias names (nn.relu -> relu, add -> broadcast_add
/// ...), or nullptr when `name` is no alias.
const OpDef* upstream_alias_target(std::string_view name);
/// True for a name upstream registers as an alias of an operator.
bool is_upstream_alias(std::string_view name);

/// The operator named `name`, or the error upstream gives for the name:
/// op_c4 (logic) for an upstream alias, op_c0 (runtime) for anything else.
/// `where` prefixes the message (e.g. "node 3 'x': ").
const OpDef& resolve_op(std::string_view name, std::string_view where);
/// The same inside a graph, where upstream validates an alias node as the op
/// it names and rejects it only when the model is loaded (op_c4 in
/// Model::load): the alias's target, or op_c0 for an unknown name.
const OpDef& resolve_graph_op(std::string_view name, std::string_view where);

/// All operators, in the order of spec/ops.json.
std::span<const OpDef* const> all_ops();

/// OpDef::num_inputs of an operator that always takes N inputs, whatever its
/// attributes.
template <int N>
int fixed_inputs(const std::any&) {
  return N;
}

/// The output tensor's data as a reference (kernels write through it).
inline std::vector<int32_t>& data_of(Tensor* t) { return t->data; }

}  // namespace cvm
