// Reading the symbol (spec/model/graph.rst): JSON syntax and structure,
// graph_c1 .. graph_c9 and graph_c20 .. graph_c23. Upstream reads the JSON
// with a streaming reader: a malformed document, a value of the wrong JSON
// type and an unknown key are runtime errors there (graph_c1, graph_c3,
// graph_c20 .. graph_c23), a missing key or a wrong value a logic one. Semantic checks are in validate_graph.cc.
#include <limits>

#include <nlohmann/json.hpp>

#include "cvm/errors.h"
#include "cvm/graph.h"
#include "cvm/op.h"

namespace cvm {
namespace {

using json = nlohmann::json;

constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

bool is_int(const json& j) { return j.is_number_integer(); }  // signed or unsigned, not float

// An integer in [lo, hi]; anything else violates `label`. `what` names the
// value in the message; it is a callable so the name is only built on failure
// (a symbol can hold millions of integers).
template <typename What>
int64_t int_in(const json& j, int64_t lo, int64_t hi, const char* label, const What& what) {
  if (j.is_number_unsigned()) {
    const auto u = j.get<uint64_t>();
    CVM_REQUIRE(hi >= 0 && u <= static_cast<uint64_t>(hi), label, what(), " is ", u,
                ", outside [", lo, ", ", hi, "]");
    return static_cast<int64_t>(u);
  }
  CVM_REQUIRE(is_int(j), label, what(), " must be an integer, got ", j.type_name());
  const auto v = j.get<int64_t>();
  CVM_REQUIRE(v >= lo && v <= hi, label, what(), " is ", v, ", outside [", lo, ", ", hi, "]");
  return v;
}

void only_keys(const json& obj, std::initializer_list<std::string_view> allowed, const char* label,
               const std::string& what) {
  for (const auto& [key, value] : obj.items()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    CVM_REQUIRE(known, label, what, " has an unknown key '", key, "'");
  }
}

void need_key(const json& obj, const char* key, const char* label, const std::string& what) {
  CVM_REQUIRE(obj.contains(key), label, what, " lacks the required key '", key, "'");
}

// graph_c5: [node, index] or [node, index, version].
EntryRef parse_ref(const json& j, const std::string& what) {
  CVM_REQUIRE(j.is_array() && (j.size() == 2 || j.size() == 3), "graph_c5", what,
              " must be [node, index] or [node, index, version]");
  EntryRef r;
  r.node = int_in(j[0], 0, kInt32Max, "graph_c5", [&] { return what + " node id"; });
  r.index = int_in(j[1], 0, kInt32Max, "graph_c5", [&] { return what + " index"; });
  if (j.size() == 3)
    CVM_REQUIRE(is_int(j[2]), "graph_c5", what, " version must be an integer");
  return r;
}

// graph_c7: attrs[key] is [tag, payload] with the expected tag; returns payload.
const json& tagged(const json& attrs, const char* key, const char* tag) {
  const json& pair = attrs.at(key);
  const std::string what = str("attrs.", key);
  CVM_REQUIRE(pair.is_array() && pair.size() == 2 && pair[0].is_string(), "graph_c7", what,
              " must be a pair [\"", tag, "\", payload]");
  CVM_REQUIRE(pair[0].get<std::string>() == tag, "graph_c7", what, " has tag '",
              pair[0].get<std::string>(), "', expected '", tag, "'");
  CVM_REQUIRE(pair[1].is_array(), "graph_c23", what, " payload must be an array");
  return pair[1];
}

std::vector<int64_t> int_list(const json& payload, const char* what) {
  std::vector<int64_t> out;
  out.reserve(payload.size());
  for (size_t i = 0; i < payload.size(); ++i)
    out.push_back(int_in(payload[i], kInt32Min, kInt32Max, "graph_c23",
                         [&] { return str(what, "[", i, "]"); }));
  return out;
}

std::vector<std::string> str_list(const json& payload, const char* what) {
  std::vector<std::string> out;
  out.reserve(payload.size());
  for (size_t i = 0; i < payload.size(); ++i) {
    CVM_REQUIRE(payload[i].is_string(), "graph_c23", what, "[", i, "] must be a string");
    out.push_back(payload[i].get<std::string>());
  }
  return out;
}

// A dim is any integer here (graph_c7); its range is graph_c10, checked per
// node by validate_graph so the error names the node. Values beyond int64 are
// clamped: they are out of range either way.
int64_t dim_value(const json& j, size_t entry, size_t dim) {
  CVM_REQUIRE(is_int(j), "graph_c23", "attrs.shape[", entry, "][", dim, "] must be an integer, got ",
              j.type_name());
  if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return INT64_MAX;
  return j.get<int64_t>();
}

std::vector<Shape> shape_list(const json& payload) {
  std::vector<Shape> out;
  out.reserve(payload.size());
  for (size_t i = 0; i < payload.size(); ++i) {
    CVM_REQUIRE(payload[i].is_array(), "graph_c23", "attrs.shape[", i,
                "] must be an array of integers");
    Shape shape;
    shape.reserve(payload[i].size());
    for (size_t d = 0; d < payload[i].size(); ++d)
      shape.push_back(dim_value(payload[i][d], i, d));
    out.push_back(std::move(shape));
  }
  return out;
}

// graph_c9 in cvm_1.1.0: an optional table must still have the right form.
void check_nonneg_int_array(const json& doc, const char* key) {
  const json& a = doc.at(key);
  CVM_REQUIRE(a.is_array(), "graph_c9", key, " must be an array");
  for (size_t i = 0; i < a.size(); ++i)
    int_in(a[i], 0, kInt32Max, "graph_c9", [&] { return str(key, "[", i, "]"); });
}

GraphNode parse_node(const json& j, size_t i) {
  const std::string what = str("node ", i);
  CVM_REQUIRE(j.is_object(), "graph_c21", what, " must be an object");
  only_keys(j, {"op", "name", "inputs", "attrs", "precision"}, "graph_c21", what);
  for (const char* key : {"op", "name", "inputs"}) need_key(j, key, "graph_c4", what);
  CVM_REQUIRE(j["op"].is_string(), "graph_c21", what, " op must be a string");
  const auto op = j["op"].get<std::string>();
  CVM_REQUIRE(op == "null" || op == "cvm_op", "graph_c4", what, " op is '", op,
              "', expected \"null\" or \"cvm_op\"");
  CVM_REQUIRE(j["name"].is_string(), "graph_c21", what, " name must be a string");
  if (j.contains("precision"))
    CVM_REQUIRE(is_int(j["precision"]), "graph_c21", what, " precision must be an integer");

  GraphNode node;
  node.is_variable = op == "null";
  node.name = j["name"].get<std::string>();
  const std::string named = str(what, " '", node.name, "'");
  CVM_REQUIRE(j["inputs"].is_array(), "graph_c21", named, " inputs must be an array");
  for (size_t k = 0; k < j["inputs"].size(); ++k)
    node.inputs.push_back(parse_ref(j["inputs"][k], str(named, " input ", k)));

  if (j.contains("attrs")) {
    const json& a = j["attrs"];
    CVM_REQUIRE(a.is_object(), "graph_c22", named, " attrs must be an object");
    only_keys(a, {"func_name", "num_inputs", "num_outputs", "flatten_data", "op_attrs"}, "graph_c22",
              named + " attrs");
    for (const auto& [key, value] : a.items())
      CVM_REQUIRE(value.is_string(), "graph_c22", named, " attrs.", key, " must be a string");
    need_key(a, "func_name", "graph_c6", named + " attrs");
    node.func_name = a["func_name"].get<std::string>();
  } else {
    CVM_REQUIRE(node.is_variable, "graph_c22", named, " is an operator node without attrs");
  }
  return node;
}

}  // namespace

std::string_view strip_func_suffix(std::string_view name) {
  const size_t us = name.rfind('_');
  if (us == std::string_view::npos) return name;
  for (size_t k = us + 1; k < name.size(); ++k)
    if (name[k] < '0' || name[k] > '9') return name;
  return name.substr(0, us);
}

Graph parse_graph_json(std::string_view text) {
  CVM_REQUIRE(text.size() <= static_cast<size_t>(kInt32Max), "graph_c1", "symbol is ",
              text.size(), " bytes, more than 2^31-1");
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    throw_invalid("graph_c1", str("symbol is not valid JSON: ", e.what()));
  }
  CVM_REQUIRE(doc.is_object(), "graph_c1", "symbol top level must be an object, got ",
              doc.type_name());

  only_keys(doc, {"nodes", "arg_nodes", "node_row_ptr", "heads", "attrs", "version", "postprocess"},
            "graph_c20", "symbol");
  for (const char* key : {"nodes", "heads", "attrs"}) need_key(doc, key, "graph_c2", "symbol");
  CVM_REQUIRE(doc["nodes"].is_array(), "graph_c20", "nodes must be an array");
  CVM_REQUIRE(doc["heads"].is_array(), "graph_c20", "heads must be an array");

  Graph g;
  if (doc.contains("version")) {
    CVM_REQUIRE(doc["version"].is_string(), "graph_c3", "version must be a string");
    g.version = doc["version"].get<std::string>();
    CVM_REQUIRE(g.version == "cvm_1.0.0" || g.version == "cvm_1.1.0", "graph_c3", "version '",
                g.version, "' is not cvm_1.0.0 or cvm_1.1.0");
  }
  if (doc.contains("postprocess")) {
    CVM_REQUIRE(doc["postprocess"].is_string(), "graph_c3", "postprocess must be a string");
    g.postprocess = doc["postprocess"].get<std::string>();
  }

  const json& nodes = doc["nodes"];
  CVM_REQUIRE(!nodes.empty() && nodes.size() <= static_cast<size_t>(kMaxNodes), "graph_c8",
              "the symbol has ", nodes.size(), " nodes, outside [1, 2^20]");
  g.nodes.reserve(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) g.nodes.push_back(parse_node(nodes[i], i));
  for (size_t k = 0; k < doc["heads"].size(); ++k)
    g.heads.push_back(parse_ref(doc["heads"][k], str("head ", k)));

  // Entry numbering needs each operator's output count, so names resolve here.
  std::vector<int64_t> rows{0};
  std::vector<int64_t> variables;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    int outputs = 1;
    if (n.is_variable) {
      variables.push_back(static_cast<int64_t>(i));
    } else {
      outputs = resolve_graph_op(strip_func_suffix(n.func_name), str("node ", i, " '", n.name, "': "))
                    .num_outputs;
    }
    rows.push_back(rows.back() + outputs);
  }
  const auto entries = static_cast<size_t>(rows.back());

  const json& attrs = doc["attrs"];
  CVM_REQUIRE(attrs.is_object(), "graph_c23", "attrs must be an object");
  only_keys(attrs, {"storage_id", "shape", "op_attrs", "precision", "dltype", "device_index", "dtype"},
            "graph_c23", "attrs");
  for (const char* key : {"storage_id", "shape", "precision", "op_attrs"})
    need_key(attrs, key, "graph_c7", "attrs");
  g.storage_id = int_list(tagged(attrs, "storage_id", "list_int"), "attrs.storage_id");
  g.shape = shape_list(tagged(attrs, "shape", "list_shape"));
  g.precision = int_list(tagged(attrs, "precision", "list_int"), "attrs.precision");
  g.op_attrs = str_list(tagged(attrs, "op_attrs", "list_str"), "attrs.op_attrs");
  std::vector<std::string> dltype;
  if (attrs.contains("dltype")) dltype = str_list(tagged(attrs, "dltype", "list_str"), "attrs.dltype");
  if (attrs.contains("device_index")) {
    const auto dev = int_list(tagged(attrs, "device_index", "list_int"), "attrs.device_index");
    CVM_REQUIRE(dev.empty(), "graph_c8", "attrs.device_index must be empty, has ", dev.size(),
                " elements");
  }

  CVM_REQUIRE(g.op_attrs.size() == g.nodes.size(), "graph_c8", "attrs.op_attrs has ",
              g.op_attrs.size(), " elements for ", g.nodes.size(), " nodes");
  for (auto [table, size] : {std::pair{"storage_id", g.storage_id.size()},
                             std::pair{"shape", g.shape.size()},
                             std::pair{"precision", g.precision.size()}})
    CVM_REQUIRE(size == entries, "graph_c8", "attrs.", table, " has ", size, " elements for ",
                entries, " entries");

  if (g.version == "cvm_1.0.0") {
    for (const char* key : {"arg_nodes", "node_row_ptr"}) {
      need_key(doc, key, "graph_c9", "symbol");
      check_nonneg_int_array(doc, key);
    }
    CVM_REQUIRE(attrs.contains("dltype"), "graph_c9", "attrs lacks dltype (required in cvm_1.0.0)");
    CVM_REQUIRE(dltype.size() == entries, "graph_c9", "attrs.dltype has ", dltype.size(),
                " elements for ", entries, " entries");
    for (size_t e = 0; e < dltype.size(); ++e)
      CVM_REQUIRE(dltype[e] == "int32", "graph_c9", "attrs.dltype[", e, "] is '", dltype[e],
                  "', expected 'int32'");
    CVM_REQUIRE(doc["arg_nodes"] == json(variables), "graph_c9",
                "arg_nodes must list the variable nodes in order: ", json(variables).dump());
    CVM_REQUIRE(doc["node_row_ptr"] == json(rows), "graph_c9",
                "node_row_ptr must be the entry offsets: ", json(rows).dump());
  } else {
    for (const char* key : {"arg_nodes", "node_row_ptr"})
      if (doc.contains(key)) check_nonneg_int_array(doc, key);
  }
  return g;
}

AttrMap parse_op_attrs(const Graph& graph, size_t node) {
  const std::string& text = graph.op_attrs[node];
  AttrMap out;
  const GraphNode& n = graph.nodes[node];
  const std::string what = str("node ", node, " '", n.name, "' (", strip_func_suffix(n.func_name),
                               ") op_attrs");
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw_invalid("graph_c16", str(what, " is not valid JSON: ", e.what()));
  }
  CVM_REQUIRE(j.is_object(), "graph_c16", what, " must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    CVM_REQUIRE(value.is_string(), "graph_c16", what, " value of '", key, "' must be a string");
    out[key] = value.get<std::string>();
  }
  return out;
}

std::string op_attrs_json(const AttrMap& attrs) {
  json j = json::object();
  for (const auto& [key, value] : attrs) j[key] = value;
  return j.dump();
}

}  // namespace cvm
