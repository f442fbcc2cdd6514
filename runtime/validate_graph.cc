// Validation of a symbol (spec/model/graph.rst) and its gas and storage size
// (spec/model/gas.rst). Everything here depends on the symbol alone.
#include <algorithm>
#include <map>
#include <set>

#include "cvm/errors.h"
#include "cvm/model.h"
#include "cvm/validate.h"

namespace cvm {
namespace {

constexpr int64_t kMaxGasWeight = int64_t{1} << 30;
constexpr uint64_t kMaxOps = uint64_t{1} << 40;
constexpr uint64_t kMaxMem = uint64_t{1} << 40;

Postprocess postprocess_of(const std::string& name) {
  if (name == "argmax") return Postprocess::kArgmax;
  if (name == "detection") return Postprocess::kDetection;
  return Postprocess::kNone;  // any other string means none (spec/model/graph.rst)
}

// graph_c10, graph_c11, graph_c12 for the entries node `i` owns.
void check_entries(const Graph& g, const ModelGraph& m, size_t i, int64_t first, int count) {
  const GraphNode& n = g.nodes[i];
  for (int64_t e = first; e < first + count; ++e) {
    // Built only when a check fails: models can have millions of entries.
    auto what = [&] { return str(m.describe(i), " entry ", e); };
    const Shape& s = g.shape[static_cast<size_t>(e)];
    const auto rank = static_cast<int64_t>(s.size());
    CVM_REQUIRE(rank >= 1 && rank <= kMaxRank, "graph_c10", what(), " has rank ", rank,
                ", outside [1, ", kMaxRank, "]");
    int64_t size = 1;
    for (int64_t d : s) {
      CVM_REQUIRE(d >= 1 && d <= kMaxDim, "graph_c10", what(), " shape ", shape_str(s),
                  " has a dim outside [1, 2^24]");
      size *= d;
      CVM_REQUIRE(size <= kMaxSize, "graph_c10", what(), " shape ", shape_str(s),
                  " has more than 2^30 elements");
    }
    const int64_t p = g.precision[static_cast<size_t>(e)];
    CVM_REQUIRE(p == -1 || (p >= kMinPrecision && p <= kMaxPrecision), "graph_c11", what(),
                " precision ", p, " is neither -1 nor in [1, 32]");
    CVM_REQUIRE(!n.is_variable || p != -1, "graph_c11", what(),
                " is a variable and must declare a precision, not -1");
    CVM_REQUIRE(g.storage_id[static_cast<size_t>(e)] >= 0, "graph_c12", what(), " storage id ",
                g.storage_id[static_cast<size_t>(e)], " is negative");
  }
}

// Runs `body` (a check of node i) and names the node in any error it raises,
// keeping the label (once) and the class.
template <typename Body>
auto on_node(const ModelGraph& m, size_t i, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const LogicError& e) {
    throw in_context(e, m.describe(i));
  } catch (const RuntimeError& e) {
    throw in_context(e, m.describe(i));
  }
}

// Validates one operator node through the shared validator; errors keep
// their label and gain the node's identity.
ValidatedOp validate_node(const ModelGraph& m, size_t i, std::string_view op_name,
                          const AttrMap& attrs, const Types& inputs) {
  return on_node(m, i, [&] { return validate_op(op_name, attrs, inputs); });
}

void check_gas(ModelGraph& m) {
  uint64_t mem = 0;
  uint64_t ops = 0;
  for (size_t i = 0; i < m.nodes.size(); ++i) {
    const ModelNode& n = m.nodes[i];
    for (int k = 0; k < n.num_outputs; ++k)
      mem += 5 * static_cast<uint64_t>(
                     shape_size(m.entries[static_cast<size_t>(n.first_entry + k)].shape));
    if (!n.is_variable()) {
      CVM_REQUIRE(n.gas_weight >= 0 && n.gas_weight <= kMaxGasWeight, "gas_c1", m.describe(i),
                  " has gas weight ", n.gas_weight, ", more than 2^30");
      ops += static_cast<uint64_t>(n.gas_weight) *
             static_cast<uint64_t>(shape_size(m.entries[static_cast<size_t>(n.first_entry)].shape));
    }
    CVM_REQUIRE(ops <= kMaxOps, "gas_c2", "operation gas ", ops, " exceeds 2^40 after ",
                m.describe(i));
    CVM_REQUIRE(mem <= kMaxMem, "gas_c3", "memory gas ", mem, " exceeds 2^40 after ",
                m.describe(i));
  }
  m.gas = mem + ops;
}

uint64_t storage_size_of(const ModelGraph& m) {
  std::map<int64_t, uint64_t> pools;  // storage id -> bytes
  for (size_t e = 0; e < m.entries.size(); ++e) {
    const uint64_t bytes = 4 * static_cast<uint64_t>(shape_size(m.entries[e].shape));
    uint64_t& pool = pools[m.storage_id[e]];
    pool = std::max(pool, bytes);
  }
  uint64_t total = 0;
  for (const auto& [sid, bytes] : pools) total += (bytes + 3) / 4 * 4;
  return total;
}

}  // namespace

std::string ModelGraph::describe(size_t node) const {
  const ModelNode& n = nodes[node];
  return str("node ", node, " '", n.name, "' (", n.is_variable() ? "variable" : n.op->name, ")");
}

ModelGraph validate_graph(const Graph& g) {
  ModelGraph m;
  m.version = g.version;
  m.postprocess_name = g.postprocess;
  m.postprocess = postprocess_of(g.postprocess);
  m.storage_id = g.storage_id;
  CVM_REQUIRE(!g.nodes.empty() && static_cast<int64_t>(g.nodes.size()) <= kMaxNodes, "graph_c8",
              "the symbol has ", g.nodes.size(), " nodes, outside [1, 2^20]");
  CVM_REQUIRE(g.op_attrs.size() == g.nodes.size(), "graph_c8", "attrs.op_attrs has ",
              g.op_attrs.size(), " elements for ", g.nodes.size(), " nodes");

  // Resolve operators and number the entries (op_c0 as in the reader).
  int64_t entries = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& gn = g.nodes[i];
    ModelNode n;
    n.name = gn.name;
    n.first_entry = entries;
    if (!gn.is_variable) {
      n.op = &resolve_graph_op(strip_func_suffix(gn.func_name), str("node ", i, " '", gn.name, "': "));
      n.alias = find_op(strip_func_suffix(gn.func_name)) == nullptr;
      n.num_outputs = n.op->num_outputs;
    }
    entries += n.num_outputs;
    m.nodes.push_back(std::move(n));
  }
  for (auto [table, size] : {std::pair{"storage_id", g.storage_id.size()},
                             std::pair{"shape", g.shape.size()},
                             std::pair{"precision", g.precision.size()}})
    CVM_REQUIRE(static_cast<int64_t>(size) == entries, "graph_c8", "attrs.", table, " has ", size,
                " elements for ", entries, " entries");
  m.entries.resize(static_cast<size_t>(entries));

  // Upstream parses the attributes of every node, in node order, before it
  // checks anything else of the graph, so an attribute error (attr_c0 ...
  // attr_c4) wins over any later finding, whatever node that is in.
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].is_variable) continue;
    ModelNode& n = m.nodes[i];
    n.attr_map = parse_op_attrs(g, i);
    on_node(m, i, [&] { check_attr_syntax(n.op->name, n.op->attr_schema(), n.attr_map); });
  }

  auto entry_of = [&](const EntryRef& r) { return m.nodes[static_cast<size_t>(r.node)].first_entry + r.index; };
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& gn = g.nodes[i];
    ModelNode& n = m.nodes[i];
    CVM_REQUIRE(!gn.is_variable || gn.inputs.empty(), "graph_c14", m.describe(i), " is a variable with ",
                gn.inputs.size(), " inputs");
    for (size_t k = 0; k < gn.inputs.size(); ++k) {
      const EntryRef& r = gn.inputs[k];
      // Non-negative ids are the reader's graph_c5; checked again for graphs built in code.
      CVM_REQUIRE(r.node >= 0 && r.index >= 0 && r.node < static_cast<int64_t>(i), "graph_c15", m.describe(i), " input ", k,
                  " references node ", r.node, ", which is not an earlier node");
      CVM_REQUIRE(r.index < m.nodes[static_cast<size_t>(r.node)].num_outputs, "graph_c15",
                  m.describe(i), " input ", k, " references output ", r.index, " of ",
                  m.describe(static_cast<size_t>(r.node)), ", which has ",
                  m.nodes[static_cast<size_t>(r.node)].num_outputs);
      n.inputs.push_back(entry_of(r));
    }
    check_entries(g, m, i, n.first_entry, n.num_outputs);

    if (gn.is_variable) {
      const auto e = static_cast<size_t>(n.first_entry);
      m.entries[e] = TensorType{g.shape[e], static_cast<int>(g.precision[e])};
      if (gn.name == "data" && m.data_node < 0) m.data_node = static_cast<int64_t>(i);
      continue;
    }
    Types in;
    for (int64_t e : n.inputs) in.push_back(m.entries[static_cast<size_t>(e)]);
    ValidatedOp v = validate_node(m, i, n.op->name, n.attr_map, in);
    for (int k = 0; k < n.num_outputs; ++k) {
      const auto e = static_cast<size_t>(n.first_entry + k);
      CVM_REQUIRE(g.shape[e] == v.outputs[static_cast<size_t>(k)].shape, "graph_c19",
                  m.describe(i), " output ", k, " is declared with shape ", shape_str(g.shape[e]),
                  "; its shape rule gives ", shape_str(v.outputs[static_cast<size_t>(k)].shape));
      m.entries[e] = v.outputs[static_cast<size_t>(k)];
      if (!n.op->in_place)
        for (int64_t in_e : n.inputs)
          CVM_REQUIRE(g.storage_id[e] != g.storage_id[static_cast<size_t>(in_e)], "graph_c18",
                      m.describe(i), " output ", k, " shares storage id ", g.storage_id[e],
                      " with its input entry ", in_e, "; ", n.op->name, " cannot run in place");
    }
    n.attrs = std::move(v.attrs);
    n.gas_weight = v.gas_weight;
  }

  std::set<std::string_view> names;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].is_variable)
      CVM_REQUIRE(names.insert(g.nodes[i].name).second, "graph_c13", m.describe(i),
                  " repeats the name of an earlier variable");
  for (size_t k = 0; k < g.heads.size(); ++k) {
    const EntryRef& r = g.heads[k];
    CVM_REQUIRE(r.node >= 0 && r.index >= 0 && r.node < static_cast<int64_t>(m.nodes.size()),
                "graph_c17", "head ", k,
                " references node ", r.node, "; the symbol has ", m.nodes.size(), " nodes");
    CVM_REQUIRE(r.index < m.nodes[static_cast<size_t>(r.node)].num_outputs, "graph_c17", "head ", k,
                " references output ", r.index, " of ", m.describe(static_cast<size_t>(r.node)));
    m.heads.push_back(entry_of(r));
  }

  try {
    check_gas(m);
  } catch (const LogicError& e) {
    m.gas_error_label = e.label();
    m.gas_error_message = e.message();
  }
  m.storage_size = storage_size_of(m);
  return m;
}

ModelGraph load_graph(std::string_view symbol_json) {
  ModelGraph g = validate_graph(parse_graph_json(symbol_json));
  throw_gas_error(g);
  return g;
}

void throw_gas_error(const ModelGraph& graph) {
  if (!graph.gas_error_label.empty()) throw_invalid(graph.gas_error_label, graph.gas_error_message);
}

}  // namespace cvm
