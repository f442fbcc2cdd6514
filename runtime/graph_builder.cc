// GraphBuilder: symbols built in code, validated as they grow.
#include "cvm/graph_builder.h"

#include "cvm/errors.h"
#include "cvm/validate.h"

namespace cvm {

int64_t GraphBuilder::entry_id(EntryRef e) const {
  CVM_REQUIRE(e.node >= 0 && e.node < static_cast<int64_t>(graph_.nodes.size()) &&
                  e.index >= 0 && rows_[static_cast<size_t>(e.node)] + e.index <
                                      rows_[static_cast<size_t>(e.node) + 1],
              "graph_c15", "reference [", e.node, ", ", e.index, "] names no entry");
  return rows_[static_cast<size_t>(e.node)] + e.index;
}

TensorType GraphBuilder::type(EntryRef e) const {
  const auto id = static_cast<size_t>(entry_id(e));
  return {graph_.shape[id], static_cast<int>(graph_.precision[id])};
}

EntryRef GraphBuilder::variable(const std::string& name, const Shape& shape, int precision) {
  const auto node = static_cast<int64_t>(graph_.nodes.size());
  graph_.nodes.push_back(GraphNode{.is_variable = true, .name = name, .inputs = {}, .func_name = {}});
  graph_.op_attrs.emplace_back();
  graph_.storage_id.push_back(rows_.back());
  graph_.shape.push_back(shape);
  graph_.precision.push_back(precision);
  rows_.push_back(rows_.back() + 1);
  return {node, 0};
}

std::vector<EntryRef> GraphBuilder::op(const std::string& func_name, const std::string& name,
                                       const std::vector<EntryRef>& inputs, const AttrMap& attrs) {
  Types in;
  for (const EntryRef& r : inputs) in.push_back(type(r));
  const ValidatedOp v = validate_op(strip_func_suffix(func_name), attrs, in);
  const auto node = static_cast<int64_t>(graph_.nodes.size());
  graph_.nodes.push_back(
      GraphNode{.is_variable = false, .name = name, .inputs = inputs, .func_name = func_name});
  graph_.op_attrs.push_back(op_attrs_json(attrs));
  std::vector<EntryRef> outs;
  for (size_t k = 0; k < v.outputs.size(); ++k) {
    graph_.storage_id.push_back(rows_.back() + static_cast<int64_t>(k));
    graph_.shape.push_back(v.outputs[k].shape);
    graph_.precision.push_back(v.outputs[k].precision);
    outs.push_back({node, static_cast<int64_t>(k)});
  }
  rows_.push_back(rows_.back() + static_cast<int64_t>(v.outputs.size()));
  return outs;
}

EntryRef GraphBuilder::op1(const std::string& func_name, const std::string& name,
                           const std::vector<EntryRef>& inputs, const AttrMap& attrs) {
  const auto outs = op(func_name, name, inputs, attrs);
  CVM_REQUIRE(outs.size() == 1, "op_c1", func_name, " has ", outs.size(), " outputs, not 1");
  return outs[0];
}

}  // namespace cvm
