// A validated, loaded model (spec/model/load.rst) and the validated symbol it
// is built from (spec/model/graph.rst, spec/model/gas.rst).
#pragma once

#include <any>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/graph.h"
#include "cvm/op.h"
#include "cvm/tensor.h"

namespace cvm {

/// One node of a validated symbol.
struct ModelNode {
  /// The node's name as written in the symbol.
  std::string name;
  const OpDef* op = nullptr;  ///< nullptr for a variable
  std::any attrs;             ///< the op's parsed attribute struct
  AttrMap attr_map;           ///< the attributes as written
  std::vector<int64_t> inputs;  ///< flat entry ids
  /// The flat entry id of the node's first output; its outputs are
  /// first_entry .. first_entry + num_outputs - 1.
  int64_t first_entry = 0;
  /// How many entries the node produces: 1 for a variable, the operator's
  /// output count otherwise.
  int num_outputs = 1;
  int64_t gas_weight = 0;     ///< 0 for variables
  bool alias = false;         ///< named by an upstream alias (rejected at load, op_c4)
  /// True for a variable (the input or a parameter), false for an operator
  /// node.
  bool is_variable() const { return op == nullptr; }
};

/// How the heads become the output bytes of an inference (spec/model/inference.rst).
enum class Postprocess {
  kNone,      ///< The heads' values, concatenated.
  kArgmax,    ///< "argmax": the index of the largest value of each row of the first head.
  kDetection  ///< "detection": the heads' rows interleaved.
};

/// The symbol after graph_c*, operator and gas validation.
struct ModelGraph {
  /// The nodes in symbol order (a topological order).
  std::vector<ModelNode> nodes;
  std::vector<TensorType> entries;   ///< shape and (inferred) precision per entry
  std::vector<int64_t> storage_id;   ///< per entry, as written
  std::vector<int64_t> heads;        ///< flat entry ids
  /// The symbol's format version, "cvm_1.0.0" or "cvm_1.1.0"; CVMAPIGetVersion
  /// reports it.
  std::string version;
  std::string postprocess_name;      ///< as written
  /// The post-processing postprocess_name selects.
  Postprocess postprocess = Postprocess::kNone;
  /// The gas of one inference (spec/model/gas.rst): 5 per element of every
  /// entry plus, per operator node, its gas weight times the element count of
  /// its first output. Meaningful only when gas_error_label is empty.
  uint64_t gas = 0;
  /// A gas limit the symbol breaks (gas_c1 .. gas_c3), or an empty label.
  /// Upstream checks the limits only when gas is asked for, so loading
  /// keeps the finding and the gas queries raise it (throw_gas_error).
  std::string gas_error_label;
  /// The full message of that finding, raised with its label; empty when the
  /// label is.
  std::string gas_error_message;
  /// The storage size in bytes (spec/model/gas.rst): per storage id the
  /// largest entry of that id times 4, summed over ids. Reported by
  /// CVMAPIGetStorageSize; it does not size cvm's own memory plan.
  uint64_t storage_size = 0;
  int64_t data_node = -1;            ///< the variable named "data", -1 if none

  /// "node 3 'conv2d_1' (conv2d)" for messages.
  std::string describe(size_t node) const;
};

/// Validates a parsed symbol (graph_c8.., op constraints, gas_c*) and computes
/// its storage size; storage_c1 is checked by Model::load, as upstream.
ModelGraph validate_graph(const Graph& graph);

/// Reads and validates a symbol alone (CVMAPIGetGasFromGraphFile), gas
/// limits included.
ModelGraph load_graph(std::string_view symbol_json);

/// Raises the gas limit the graph breaks, if any (gas_c1 .. gas_c3).
void throw_gas_error(const ModelGraph& graph);

/// Limits a caller sets when loading a model.
struct LoadOptions {
  /// model_c6: the most memory, in bytes, the engine may plan for this model.
  int64_t memory_cap_bytes = int64_t{1} << 32;
};

struct MemoryPlan;

/// A loaded model: the validated symbol, the bound params and the I/O facts.
/// Immutable after load; share it between runtimes.
class Model {
 public:
  /// Validates the symbol and the params (model_c1 .. model_c6).
  static std::shared_ptr<const Model> load(std::string_view symbol_json, std::string_view params,
                                           const LoadOptions& options = {});
  /// Reads the two files, then as load(). A read failure is RuntimeError("io").
  static std::shared_ptr<const Model> load_files(const std::string& symbol_path,
                                                 const std::string& params_path,
                                                 const LoadOptions& options = {});

  /// The validated symbol: nodes, entry types, heads, gas, storage size.
  const ModelGraph& graph() const { return graph_; }
  /// Values of the variables (params), indexed by node; empty for data.
  const std::vector<Tensor>& variable_values() const { return values_; }
  /// The engine's memory plan: where each entry lives during an inference.
  const MemoryPlan& plan() const { return *plan_; }

  /// The shape and precision of the input "data"; an inference's input must
  /// have this shape, and its values are saturated to this precision.
  const TensorType& input_type() const { return graph_.entries[static_cast<size_t>(input_entry())]; }
  /// The flat entry id of the input "data" (the output of its variable node).
  int64_t input_entry() const;
  int input_width() const;   ///< bytes per input element: 1 or 4
  int output_precision() const;  ///< p_out: the largest head precision
  int output_width() const;  ///< bytes per output element: 1 or 4
  uint64_t input_length() const;   ///< bytes
  uint64_t output_length() const;  ///< bytes
  /// The gas; gas_c1 .. gas_c3 (a logic error) if the symbol breaks a limit.
  uint64_t gas() const {
    throw_gas_error(graph_);
    return graph_.gas;
  }
  /// The storage size in bytes, as CVMAPIGetStorageSize reports it
  /// (ModelGraph::storage_size).
  uint64_t storage_size() const { return graph_.storage_size; }

  /// Frees the params and the memory plan.
  ~Model();
  /// Assembles a model from parts load() has already validated; use load() or
  /// load_files() instead, which check everything first.
  Model(ModelGraph graph, std::vector<Tensor> values, std::unique_ptr<MemoryPlan> plan);

 private:
  ModelGraph graph_;
  std::vector<Tensor> values_;
  std::unique_ptr<MemoryPlan> plan_;
};

/// Reads a whole file; a failure (missing file, a directory, unreadable) is
/// RuntimeError("io") naming the path and the reason.
std::string read_file(const std::string& path);

}  // namespace cvm
