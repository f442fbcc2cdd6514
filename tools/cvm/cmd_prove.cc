// cvm prove MODEL: certify that a model cannot overflow int32 on any input.
//
// No SMT solving happens here. The per-operator lemmas (proofs/, spec/ops
// Bounds labels) are proved once by the build target cvm_prove_lemmas; their
// verdicts are recorded in proofs/lemmas.json, which CI re-proves
// (ctest `proofs`) and which is compiled into this tool. A model is certified
// when it validates (so every node meets its lemmas' hypotheses and every
// inferred precision is at most 32) and every node's operator has all its
// lemmas proved: the composition argument of docs/proofs.rst.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "cvm/errors.h"
#include "cvm/model.h"
#include "model_arg.h"
#include "report.h"
#include "sha256.h"

namespace cvm::tool {
namespace {

using ojson = nlohmann::ordered_json;

const char* const kLemmaRecord =
#include "lemma_record.inc"
    ;

// Operator name -> its recorded bound goals and whether each is proved.
std::map<std::string, std::vector<std::pair<std::string, bool>>> lemmas_by_op() {
  std::map<std::string, std::vector<std::pair<std::string, bool>>> out;
  for (const auto& g : nlohmann::json::parse(kLemmaRecord)) {
    if (g.at("negative_control").get<bool>()) continue;
    const std::string label = g.at("label");
    const size_t b = label.rfind("_b");
    out[label.substr(0, b)].emplace_back(label, g.at("status") == "proved");
  }
  return out;
}

struct ProveOptions {
  ModelArg model;
  std::string json;
};

int prove_command(const ProveOptions& o) {
  ojson report;
  LoadedModel m;
  try {
    m = load_model_bytes(o.model);
  } catch (const LogicError& e) {
    // Not a valid model, so no lemma applies. op_c3 is the overflow case:
    // the precision rule needs more than 32 bits for some node.
    std::cout << "verdict: REJECTED (" << e.label() << ")\n  " << e.what() << "\n";
    if (e.label() == "op_c3")
      std::cout << "  counterexample: every input of that node at its precision extremes "
                   "(+-R(p)) drives the output past int32's range\n";
    return kExitLogic;
  }
  const Model& model = *m.model;
  const auto lemmas = lemmas_by_op();
  report["symbol_sha256"] = sha256_hex(m.symbol_bytes);
  report["params_sha256"] = sha256_hex(m.params_bytes);
  ojson nodes = ojson::array();
  bool certified = true;
  const ModelGraph& g = model.graph();
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ModelNode& n = g.nodes[i];
    if (n.is_variable()) continue;
    ojson in_p = ojson::array();
    for (int64_t e : n.inputs) in_p.push_back(g.entries[static_cast<size_t>(e)].precision);
    ojson out_p = ojson::array();
    for (int k = 0; k < n.num_outputs; ++k)
      out_p.push_back(g.entries[static_cast<size_t>(n.first_entry + k)].precision);
    ojson labels = ojson::array();
    bool proved = false;
    const auto it = lemmas.find(std::string(n.op->name));
    if (it != lemmas.end()) {
      proved = true;
      for (const auto& [label, ok] : it->second) {
        labels.push_back(label);
        proved = proved && ok;
      }
    }
    certified = certified && proved;
    nodes.push_back({{"node", i},
                     {"name", n.name},
                     {"op", n.op->name},
                     {"input_precisions", in_p},
                     {"output_precisions", out_p},
                     {"lemmas", labels},
                     {"verdict", proved ? "safe" : "UNPROVED"}});
  }
  report["nodes"] = nodes;
  report["verdict"] = certified ? "certified" : "not certified";

  for (const auto& n : nodes) {
    std::cout << "node " << n["node"].get<size_t>() << " '" << n["name"].get<std::string>() << "' ("
              << n["op"].get<std::string>() << "): inputs p" << n["input_precisions"].dump()
              << " -> p" << n["output_precisions"].dump() << ", lemmas "
              << n["lemmas"].dump() << ": " << n["verdict"].get<std::string>() << "\n";
  }
  std::cout << "symbol sha256 " << report["symbol_sha256"].get<std::string>() << "\n"
            << "params sha256 " << report["params_sha256"].get<std::string>() << "\n"
            << "verdict: " << report["verdict"].get<std::string>() << "\n";
  if (!o.json.empty()) {
    std::ofstream f(o.json);
    f << report.dump(2) << "\n";
    if (!f) throw_runtime("io", str(o.json, ": cannot write"));
  }
  return certified ? kExitOk : kExitLogic;
}

}  // namespace

Command add_prove_command(CLI::App& parent) {
  auto o = std::make_shared<ProveOptions>();
  CLI::App* app = parent.add_subcommand(
      "prove", "Certify that a model cannot overflow int32 on any input (uses the proved lemmas).");
  add_model_arg(*app, o->model, /*with_memory_cap=*/true);
  app->add_option("--json", o->json, "also write the report as JSON to this file");
  app->footer(
      "Validates the model, then lists per operator node its input and output precisions and "
      "the lemmas (spec Bounds labels, proved by cvm_prove_lemmas and recorded in "
      "proofs/lemmas.json) that cover it. Exit 0 when certified; 1 when the model is invalid "
      "(an op_c3 rejection is a node that could overflow) or a node's lemmas are not all proved; "
      "2 on I/O or usage errors.");
  return {app, [o] { return prove_command(*o); }};
}

}  // namespace cvm::tool
