// cvm prove MODEL: certify that a model cannot overflow int32 on any input.
//
// No SMT solving happens here. The per-operator lemmas (proofs/, spec/ops
// Bounds labels) are proved once by the build target cvm_prove_lemmas; their
// verdicts are recorded in proofs/lemmas.json, which CI re-proves
// (ctest `proofs`) and which is compiled into this tool. A model is certified
// when it validates (so every node meets its lemmas' hypotheses and every
// inferred precision is at most 32) and every node's operator has all its
// lemmas proved: the composition argument of docs/proofs.rst; and when its
// inferences do not all fail (a head layout that fails infer_c2 fails on
// every input, since it depends on the head shapes only).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>

#include "cvm/certify.h"
#include "cvm/errors.h"
#include "cvm/model.h"
#include "model_arg.h"
#include "report.h"
#include "sha256.h"

namespace cvm::tool {
namespace {

using ojson = nlohmann::ordered_json;

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
    // The label once, in the verdict; then the message without it.
    std::cout << "verdict: REJECTED (" << e.label() << ")\n  " << e.message() << "\n";
    if (e.label() == "op_c3") {
      // A concrete input range for the ops that have one (certify.h).
      const OverflowWitness w = overflow_witness(read_file(resolve_model(o.model.words()).symbol));
      if (w.overflows)
        std::cout << "  counterexample: " << w.text << "\n";
      else if (!w.text.empty())
        std::cout << "  no concrete overflow at the extremes: " << w.text
                  << " (the precision rule is conservative here; the node is still rejected)\n";
      else
        std::cout << "  counterexample: every input of that node at its precision extremes "
                     "(+-R(p)) drives the output past int32's range\n";
    }
    return kExitLogic;
  }
  const Certificate cert = certify(*m.model);
  report["symbol_sha256"] = sha256_hex(m.symbol_bytes);
  report["params_sha256"] = sha256_hex(m.params_bytes);
  ojson nodes = ojson::array();
  // The least headroom over every operator output, and where it is.
  const NodeCertificate* tightest = nullptr;
  int min_headroom = 0;
  for (const NodeCertificate& n : cert.nodes) {
    ojson intervals = ojson::array();
    for (const ValueInterval& v : n.intervals) intervals.push_back({v.lo, v.hi});
    for (int h : n.headroom_bits)
      if (tightest == nullptr || h < min_headroom) {
        tightest = &n;
        min_headroom = h;
      }
    nodes.push_back({{"node", n.node},
                     {"name", n.name},
                     {"op", n.op},
                     {"input_precisions", n.input_precisions},
                     {"output_precisions", n.output_precisions},
                     {"intervals", intervals},
                     {"headroom_bits", n.headroom_bits},
                     {"lemmas", n.lemmas},
                     {"verdict", n.proved ? "safe" : "UNPROVED"}});
  }
  const bool certified = cert.certified;
  report["nodes"] = nodes;
  if (!cert.never_runs.empty()) report["never_runs"] = cert.never_runs;
  report["verdict"] = certified ? "certified" : "not certified";

  for (const auto& n : nodes) {
    std::cout << "node " << n["node"].get<size_t>() << " '" << n["name"].get<std::string>() << "' ("
              << n["op"].get<std::string>() << "): inputs p" << n["input_precisions"].dump()
              << " -> p" << n["output_precisions"].dump() << ", lemmas "
              << n["lemmas"].dump() << ": " << n["verdict"].get<std::string>() << "\n";
  }
  if (tightest != nullptr) {
    size_t fallbacks = 0;
    for (const NodeCertificate& n : cert.nodes)
      for (bool f : n.interval_fallback) fallbacks += f ? 1 : 0;
    std::cout << "value intervals: least headroom " << min_headroom << " bit(s), at node "
              << tightest->node << " '" << tightest->name << "' (" << tightest->op << "); "
              << fallbacks << " output(s) bounded by their precision alone\n";
  }
  std::cout << "symbol sha256 " << report["symbol_sha256"].get<std::string>() << "\n"
            << "params sha256 " << report["params_sha256"].get<std::string>() << "\n";
  if (!cert.never_runs.empty()) std::cout << "every inference fails: " << cert.never_runs << "\n";
  std::cout << "verdict: " << report["verdict"].get<std::string>() << "\n";
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
      "proofs/lemmas.json) that cover it, and per output an interval holding every value it can "
      "take on any input (from the actual params) with the precision bits it leaves unused "
      "(--json: intervals, headroom_bits). Exit 0 when certified; 1 when the model is invalid "
      "(an op_c3 rejection is a node that could overflow), a node's lemmas are not all proved, or "
      "every inference fails (infer_c2: heads that cannot be interleaved); "
      "2 on I/O or usage errors.");
  return {app, [o] { return prove_command(*o); }};
}

}  // namespace cvm::tool
