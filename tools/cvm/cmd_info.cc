// cvm info MODEL [--json]: the facts of a loaded model.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cvm/model.h"
#include "cvm/plan.h"
#include "model_arg.h"
#include "report.h"

namespace cvm::tool {
namespace {

struct InfoOptions {
  ModelArg model;
  bool json = false;
};

using ojson = nlohmann::ordered_json;

ojson entry_ref(const std::vector<int64_t>& owner, const ModelGraph& g, int64_t entry) {
  const int64_t node = owner[static_cast<size_t>(entry)];
  return ojson{{"entry", entry},
               {"node", node},
               {"index", entry - g.nodes[static_cast<size_t>(node)].first_entry}};
}

ojson model_info(const Model& model, const ModelPaths& paths) {
  const ModelGraph& g = model.graph();
  std::vector<int64_t> owner(g.entries.size(), -1);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (int k = 0; k < g.nodes[i].num_outputs; ++k)
      owner[static_cast<size_t>(g.nodes[i].first_entry + k)] = static_cast<int64_t>(i);

  ojson nodes = ojson::array();
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ModelNode& n = g.nodes[i];
    ojson inputs = ojson::array();
    for (int64_t e : n.inputs) inputs.push_back(entry_ref(owner, g, e));
    ojson outputs = ojson::array();
    for (int k = 0; k < n.num_outputs; ++k) {
      const int64_t e = n.first_entry + k;
      const TensorType& t = g.entries[static_cast<size_t>(e)];
      outputs.push_back(ojson{{"entry", e}, {"shape", shape_json(t.shape)}, {"precision", t.precision}});
    }
    ojson attrs = ojson::object();
    for (const auto& [key, value] : n.attr_map) attrs[key] = value;
    ojson node{{"index", i},
               {"name", n.name},
               {"op", n.is_variable() ? std::string("variable") : std::string(n.op->name)},
               {"inputs", inputs},
               {"outputs", outputs},
               {"gas_weight", n.gas_weight}};
    if (!n.is_variable()) node["attrs"] = attrs;
    nodes.push_back(node);
  }

  ojson heads = ojson::array();
  for (int64_t h : g.heads) {
    ojson head = entry_ref(owner, g, h);
    const TensorType& t = g.entries[static_cast<size_t>(h)];
    head["shape"] = shape_json(t.shape);
    head["precision"] = t.precision;
    heads.push_back(head);
  }

  const TensorType& in = model.input_type();
  return ojson{{"symbol", paths.symbol},
               {"params", paths.params},
               {"version", g.version},
               {"postprocess", g.postprocess_name},
               {"node_count", g.nodes.size()},
               {"nodes", nodes},
               {"input",
                {{"node", g.data_node},
                 {"entry", model.input_entry()},
                 {"shape", shape_json(in.shape)},
                 {"precision", in.precision},
                 {"width", model.input_width()},
                 {"length", model.input_length()}}},
               {"heads", heads},
               {"output",
                {{"precision", model.output_precision()},
                 {"width", model.output_width()},
                 {"length", model.output_length()}}},
               {"gas", model.gas()},
               {"storage_size", model.storage_size()},
               {"planned_memory_bytes", model.plan().bytes()}};
}

std::string shape_text(const ojson& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i].get<int64_t>());
  return s + ")";
}

void print_text(const ojson& j) {
  std::ostream& os = std::cout;
  const std::string pp = j["postprocess"].get<std::string>();
  os << "symbol: " << j["symbol"].get<std::string>() << "\n"
     << "params: " << j["params"].get<std::string>() << "\n"
     << "version: " << j["version"].get<std::string>() << "\n"
     << "postprocess: " << (pp.empty() ? "(none)" : pp) << "\n"
     << "nodes: " << j["node_count"] << "\n";
  for (const ojson& n : j["nodes"]) {
    os << "  " << n["index"] << " '" << n["name"].get<std::string>() << "' "
       << n["op"].get<std::string>();
    if (!n["inputs"].empty()) {
      os << " inputs [";
      bool first = true;
      for (const ojson& r : n["inputs"]) {
        os << (first ? "" : ", ") << r["node"] << ":" << r["index"];
        first = false;
      }
      os << "]";
    }
    os << " -> ";
    bool first = true;
    for (const ojson& o : n["outputs"]) {
      os << (first ? "" : ", ") << shape_text(o["shape"]) << " p" << o["precision"];
      first = false;
    }
    if (n["op"] != "variable") os << ", gas weight " << n["gas_weight"];
    os << "\n";
  }
  const ojson& in = j["input"];
  os << "input: node " << in["node"] << ", shape " << shape_text(in["shape"]) << ", precision "
     << in["precision"] << ", width " << in["width"] << ", length " << in["length"] << " bytes\n"
     << "heads: " << j["heads"].size() << "\n";
  size_t k = 0;
  for (const ojson& h : j["heads"])
    os << "  head " << k++ << ": node " << h["node"] << ":" << h["index"] << ", shape "
       << shape_text(h["shape"]) << ", precision " << h["precision"] << "\n";
  const ojson& out = j["output"];
  os << "output: precision " << out["precision"] << ", width " << out["width"] << ", length "
     << out["length"] << " bytes\n"
     << "gas: " << j["gas"] << "\n"
     << "storage size: " << j["storage_size"] << " bytes\n"
     << "planned memory: " << j["planned_memory_bytes"] << " bytes\n";
}

int info_command(const InfoOptions& o) {
  const ModelPaths paths = resolve_model(o.model.words());
  const std::shared_ptr<const Model> model = load_model(o.model);
  const ojson j = model_info(*model, paths);
  if (o.json)
    std::cout << j.dump(2) << "\n";
  else
    print_text(j);
  return kExitOk;
}

}  // namespace

Command add_info_command(CLI::App& parent) {
  auto o = std::make_shared<InfoOptions>();
  CLI::App* app = parent.add_subcommand(
      "info", "Load a model and print its nodes, input, heads, output, gas and memory.");
  add_model_arg(*app, o->model, /*with_memory_cap=*/true);
  app->add_flag("--json", o->json, "print the facts as one JSON object");
  app->footer(
      "Per node: index, name, operator (or 'variable'), input entries as node:index, output "
      "shapes with inferred precisions, gas weight. Then the input (shape, precision, width, "
      "length in bytes), the heads, the output width and length, the gas, the storage size "
      "(CVMAPIGetStorageSize) and the bytes of cvm's memory plan.");
  return {app, [o] { return info_command(*o); }};
}

}  // namespace cvm::tool
