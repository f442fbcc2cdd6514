// Writing the symbol in the cvm_1.0.0 layout (spec/model/graph.rst, "Writing").
#include <nlohmann/json.hpp>

#include "cvm/errors.h"
#include "cvm/graph.h"
#include "cvm/op.h"

namespace cvm {
namespace {

using ojson = nlohmann::ordered_json;

ojson ref_json(const EntryRef& r) { return ojson::array({r.node, r.index, 0}); }

int outputs_of(const GraphNode& n) {
  if (n.is_variable) return 1;
  const OpDef* op = find_op(strip_func_suffix(n.func_name));
  CVM_REQUIRE(op != nullptr, "op_c0", "cannot write node '", n.name, "': unknown operator '",
              n.func_name, "'");
  return op->num_outputs;
}

}  // namespace

std::string write_graph_json(const Graph& g) {
  ojson nodes = ojson::array();
  ojson arg_nodes = ojson::array();
  ojson rows = ojson::array({0});
  int64_t row = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    ojson node;
    node["op"] = n.is_variable ? "null" : "cvm_op";
    node["name"] = n.name;
    node["inputs"] = ojson::array();
    for (const EntryRef& r : n.inputs) node["inputs"].push_back(ref_json(r));
    const int outputs = outputs_of(n);
    if (n.is_variable) {
      arg_nodes.push_back(i);
    } else {
      node["attrs"] = {{"func_name", n.func_name},
                       {"num_inputs", std::to_string(n.inputs.size())},
                       {"num_outputs", std::to_string(outputs)},
                       {"flatten_data", "0"}};
    }
    nodes.push_back(std::move(node));
    row += outputs;
    rows.push_back(row);
  }
  ojson heads = ojson::array();
  for (const EntryRef& r : g.heads) heads.push_back(ref_json(r));

  ojson dltype = ojson::array();
  for (int64_t e = 0; e < row; ++e) dltype.push_back("int32");
  ojson shapes = ojson::array();
  for (const Shape& s : g.shape) shapes.push_back(s);

  ojson doc;
  doc["nodes"] = std::move(nodes);
  doc["arg_nodes"] = std::move(arg_nodes);
  doc["node_row_ptr"] = std::move(rows);
  doc["heads"] = std::move(heads);
  doc["attrs"] = {{"dltype", {"list_str", dltype}},
                  {"storage_id", {"list_int", g.storage_id}},
                  {"shape", {"list_shape", shapes}},
                  {"precision", {"list_int", g.precision}},
                  {"op_attrs", {"list_str", g.op_attrs}}};
  doc["version"] = g.version;
  if (!g.postprocess.empty()) doc["postprocess"] = g.postprocess;
  return doc.dump();
}

}  // namespace cvm
