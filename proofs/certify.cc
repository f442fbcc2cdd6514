// Per-model certification (include/cvm/certify.h): the composition argument
// of docs/proofs.rst applied to a loaded model, with the lemma verdicts of the
// compiled-in record proofs/lemmas.json.
#include "cvm/certify.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "cvm/errors.h"
#include "cvm/graph.h"
#include "cvm/graph_builder.h"
#include "cvm/runtime.h"
#include "cvm/shape.h"

namespace cvm {
namespace {

const char* const kLemmaRecord =
#include "lemma_record.inc"
    ;

int64_t range_of(int p) { return (int64_t{1} << (p - 1)) - 1; }

constexpr int64_t kInt32Max = 2147483647;

}  // namespace

std::string_view lemma_record() { return kLemmaRecord; }

const std::map<std::string, std::vector<std::pair<std::string, bool>>>& lemmas_by_op() {
  static const auto table = [] {
    std::map<std::string, std::vector<std::pair<std::string, bool>>> out;
    for (const auto& g : nlohmann::json::parse(kLemmaRecord)) {
      if (g.at("negative_control").get<bool>()) continue;
      const std::string label = g.at("label");
      const size_t b = label.rfind("_b");
      out[label.substr(0, b)].emplace_back(label, g.at("status") == "proved");
    }
    return out;
  }();
  return table;
}

Certificate certify(const Model& model) {
  const auto& lemmas = lemmas_by_op();
  Certificate c;
  c.nodes_proved = true;
  const ModelGraph& g = model.graph();
  const std::vector<EntryInterval> ranges = value_intervals(model);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ModelNode& n = g.nodes[i];
    if (n.is_variable()) continue;
    NodeCertificate nc;
    nc.node = i;
    nc.name = n.name;
    nc.op = std::string(n.op->name);
    for (int64_t e : n.inputs) nc.input_precisions.push_back(g.entries[static_cast<size_t>(e)].precision);
    for (int k = 0; k < n.num_outputs; ++k) {
      const auto e = static_cast<size_t>(n.first_entry + k);
      nc.output_precisions.push_back(g.entries[e].precision);
      nc.intervals.push_back(ranges[e].range);
      nc.headroom_bits.push_back(headroom_bits(ranges[e].range, g.entries[e].precision));
      nc.interval_fallback.push_back(ranges[e].fallback);
    }
    const auto it = lemmas.find(nc.op);
    if (it != lemmas.end()) {
      nc.proved = true;
      for (const auto& [label, ok] : it->second) {
        nc.lemmas.push_back(label);
        nc.proved = nc.proved && ok;
      }
    }
    c.nodes_proved = c.nodes_proved && nc.proved;
    c.nodes.push_back(std::move(nc));
  }
  // A model none of whose inferences can finish is no safe model to deploy,
  // even though none of its values can overflow.
  try {
    check_postprocess(model);
  } catch (const LogicError& e) {
    c.never_runs = e.what();  // "infer_c2: ..."
  }
  c.certified = c.nodes_proved && c.never_runs.empty();
  return c;
}

namespace {

// The witness for one rejected node: the op, its input types, and whether it
// has a bias input. Empty when the op has none here.
OverflowWitness witness(std::string_view op, const std::vector<TensorType>& in) {
  std::ostringstream os;
  bool overflows = false;
  auto verdict = [&](int64_t v, const char* what) {
    os << " gives |" << what << "| = " << v;
    overflows = v > kInt32Max;
    os << (overflows ? " > 2^31-1" : " <= 2^31-1");
  };
  const auto r = [&](size_t k) { return range_of(in[k].precision); };
  os << "inputs at +-R(p): ";
  if ((op == "dense" || op == "conv2d") && in.size() >= 2) {
    const Shape& w = in[1].shape;
    int64_t k = 1;
    for (size_t d = 1; d < w.size(); ++d) k *= w[d];  // dense: K; conv2d: C/g * K_H * K_W
    // K * R(p_x) * R(p_w) <= 2^30 * 127 * 127 fits int64.
    int64_t acc = k * r(0) * r(1);
    os << "x = " << r(0) << " everywhere, w = " << r(1) << " everywhere";
    if (in.size() >= 3) {
      acc += r(2);
      os << ", b = " << r(2) << " everywhere";
    }
    os << " (K = " << k << " terms";
    if (op == "conv2d") os << ", at an output whose window lies inside x";
    os << ")";
    verdict(acc, "acc");
  } else if ((op == "elemwise_add" || op == "broadcast_add") && in.size() == 2) {
    os << "a = " << r(0) << ", b = " << r(1);
    verdict(r(0) + r(1), "y");
  } else if ((op == "elemwise_sub" || op == "broadcast_sub") && in.size() == 2) {
    os << "a = " << r(0) << ", b = " << -r(1);
    verdict(r(0) + r(1), "y");
  } else if (op == "broadcast_mul" && in.size() == 2) {
    os << "a = " << r(0) << ", b = " << r(1);
    // R(p_a) * R(p_b) < 2^62.
    verdict(r(0) * r(1), "y");
  } else {
    return {};
  }
  return {os.str(), overflows};
}

}  // namespace

OverflowWitness overflow_witness(std::string_view symbol_json) {
  Graph graph;
  try {
    graph = parse_graph_json(symbol_json);
  } catch (const LogicError&) {
    return {};
  }
  // Replay the symbol through the builder, which validates node by node, to
  // find the first node the precision rule rejects and its input types.
  GraphBuilder b;
  std::vector<int64_t> rows{0};
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const GraphNode& n = graph.nodes[i];
    try {
      if (n.is_variable) {
        const auto e = static_cast<size_t>(rows.back());
        if (e >= graph.shape.size() || e >= graph.precision.size()) return {};
        b.variable(n.name, graph.shape[e], static_cast<int>(graph.precision[e]));
        rows.push_back(rows.back() + 1);
      } else {
        const auto outs = b.op(n.func_name, n.name, n.inputs, parse_op_attrs(graph, i));
        rows.push_back(rows.back() + static_cast<int64_t>(outs.size()));
      }
    } catch (const LogicError& e) {
      if (e.label() != "op_c3" || n.is_variable) return {};
      std::vector<TensorType> in;
      try {
        for (const EntryRef& r : n.inputs) in.push_back(b.type(r));
      } catch (const LogicError&) {
        return {};
      }
      return witness(strip_func_suffix(n.func_name), in);
    }
  }
  return {};
}

}  // namespace cvm
