// Building a symbol in code: the example generator, the tests and (later) the
// quantizer use it. Each operator is validated as it is added (the shared
// validator infers its output shapes and precisions), so a built graph is
// valid by construction; every entry gets its own storage id.
#pragma once

#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/graph.h"
#include "cvm/tensor.h"

namespace cvm {

/// Builds a symbol in memory, node by node, validating each operator
/// application as it is added (tests, generators, the quantizer and
/// make_examples use it). The result is a Graph for write_graph_json.
class GraphBuilder {
 public:
  /// Adds a variable (data or a parameter); returns its entry.
  EntryRef variable(const std::string& name, const Shape& shape, int precision);
  /// Adds an operator node (func_name may carry a _<digits> suffix); returns
  /// its outputs. Throws LogicError if the application is invalid.
  std::vector<EntryRef> op(const std::string& func_name, const std::string& name,
                           const std::vector<EntryRef>& inputs, const AttrMap& attrs = {});
  /// Convenience for single-output operators.
  EntryRef op1(const std::string& func_name, const std::string& name,
               const std::vector<EntryRef>& inputs, const AttrMap& attrs = {});
  /// Appends `e` to the model's heads (its outputs, in order).
  void head(EntryRef e) { graph_.heads.push_back(e); }
  /// Sets the symbol's post-processing name: "argmax", "detection" or empty.
  void postprocess(const std::string& p) { graph_.postprocess = p; }

  /// The type (shape, precision) of an entry added so far.
  TensorType type(EntryRef e) const;
  /// The symbol built so far.
  const Graph& graph() const { return graph_; }

 private:
  int64_t entry_id(EntryRef e) const;
  Graph graph_;
  std::vector<int64_t> rows_{0};
};

}  // namespace cvm
