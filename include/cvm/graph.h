// The symbol (graph JSON) of a model, as written in the file (spec/model/graph.rst).
//
// parse_graph_json checks the file's syntax and structure (graph_c1 .. graph_c9);
// the semantic checks (references, shapes, operators, gas) are done by
// validate_graph in model.h. write_graph_json emits the cvm_1.0.0 layout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/shape.h"

namespace cvm {

/// A reference [node, index(, version)] to an entry (an output of a node).
struct EntryRef {
  int64_t node = 0;   ///< The producing node's position in Graph::nodes.
  int64_t index = 0;  ///< Which output of that node, from 0 (an optional third element, the version, is read and dropped).
  /// Equal when both name the same node and output.
  friend bool operator==(const EntryRef&, const EntryRef&) = default;
};

/// One element of the symbol's "nodes" list, as written: a variable (the
/// input "data" or a parameter) or an operator application.
struct GraphNode {
  bool is_variable = true;  ///< "op": "null" (else "cvm_op")
  /// The node's name; a variable's name is the key of its array in the params
  /// file (or "data" for the input).
  std::string name;
  /// The entries the node reads, in the operator's input order; empty for a
  /// variable. Not yet checked to refer to earlier nodes (graph_c15).
  std::vector<EntryRef> inputs;
  std::string func_name;  ///< attrs.func_name as written (empty for variables without attrs)
  /// Field-wise equality, used by the write/parse round-trip checks.
  friend bool operator==(const GraphNode&, const GraphNode&) = default;
};

/// A symbol file as parsed by parse_graph_json: the tables of the graph JSON,
/// syntax and structure checked (graph_c1 .. graph_c9), nothing else. An
/// entry is one output of one node, numbered in node order; the per-entry
/// tables are indexed by that flat number.
struct Graph {
  /// The nodes in file order, which must be a topological order (checked
  /// later, graph_c15).
  std::vector<GraphNode> nodes;
  /// The model's outputs, in the order post-processing interleaves them.
  std::vector<EntryRef> heads;
  std::vector<int64_t> storage_id;  ///< one per entry
  std::vector<Shape> shape;         ///< one per entry
  std::vector<int64_t> precision;   ///< one per entry; -1 for op outputs
  std::vector<std::string> op_attrs;  ///< one per node (JSON object text, or "")
  /// The format version, "cvm_1.0.0" (the default when the key is absent) or
  /// "cvm_1.1.0"; it decides which tables are optional.
  std::string version = "cvm_1.0.0";
  /// The post-processing name as written: "argmax", "detection", or anything
  /// else (no post-processing); empty when absent.
  std::string postprocess;
  /// Field-wise equality, used by the write/parse round-trip checks.
  friend bool operator==(const Graph&, const Graph&) = default;
};

/// Limits of spec/model (graph_c8).
inline constexpr int64_t kMaxNodes = int64_t{1} << 20;

/// Reads a symbol. Throws LogicError(graph_c1..graph_c9) on a malformed file.
Graph parse_graph_json(std::string_view json);

/// Writes the cvm_1.0.0 layout (all tables present, keys in spec order).
/// Operator nodes get attrs func_name, num_inputs, num_outputs, flatten_data.
std::string write_graph_json(const Graph& graph);

/// The node's operator attributes: op_attrs parsed as a JSON object of
/// strings ("" is empty). Throws LogicError(graph_c16) naming the node.
AttrMap parse_op_attrs(const Graph& graph, size_t node);

/// Serialises attributes as compact JSON object text (keys sorted).
std::string op_attrs_json(const AttrMap& attrs);

/// func_name with one trailing "_<digits>" (or lone "_") removed.
std::string_view strip_func_suffix(std::string_view func_name);

}  // namespace cvm
