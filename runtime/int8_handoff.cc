// The int8 hand-off between convolutions (runtime/int8_handoff.h).
#include "runtime/int8_handoff.h"

#include <cstdint>
#include <string_view>

namespace cvm {

std::vector<bool> find_int8_handoffs(const ModelGraph& g, const std::vector<EpilogueChain>& chains,
                                     const std::function<bool(size_t node)>& on_int8_gemm) {
  const size_t entries = g.entries.size();
  const auto is_op = [&](size_t node, std::string_view op) {
    return !g.nodes[node].is_variable() && g.nodes[node].op->name == op;
  };
  const auto is_conv = [&](size_t node) { return is_op(node, "conv2d"); };
  // Producers and readers that take bytes: conv2d on the int8 GEMM, and
  // max_pool2d (at any level: its byte rows need no int8 GEMM).
  const auto takes_bytes = [&](size_t node) {
    return (is_conv(node) && on_int8_gemm(node)) || is_op(node, "max_pool2d");
  };
  // The producer of each entry as a fused run computes it: a chain's output
  // comes from its first node; the values inside chains never exist.
  std::vector<int64_t> producer(entries, -1);
  std::vector<bool> inside_chain(g.nodes.size(), false);
  for (const EpilogueChain& c : chains)
    for (size_t m : c.members) inside_chain[m] = true;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!inside_chain[i]) producer[static_cast<size_t>(g.nodes[i].first_entry)] = static_cast<int64_t>(i);
  for (const EpilogueChain& c : chains)
    producer[static_cast<size_t>(g.nodes[c.last].first_entry)] = static_cast<int64_t>(c.first);

  std::vector<bool> handoff(entries, false);
  for (size_t e = 0; e < entries; ++e) {
    const int64_t p = producer[e];
    handoff[e] = p >= 0 && takes_bytes(static_cast<size_t>(p)) && g.entries[e].precision <= 8;
  }
  for (int64_t h : g.heads) handoff[static_cast<size_t>(h)] = false;
  // The chain whose residual add each node is, if any.
  std::vector<const EpilogueChain*> residual_add_of(g.nodes.size(), nullptr);
  for (const EpilogueChain& c : chains)
    if (c.residual >= 0)
      for (size_t m : c.members)
        if (g.nodes[m].op->name == "elemwise_add") residual_add_of[m] = &c;
  // Readers: every one a conv2d reading the entry as x only, or a residual
  // add reading it as the residual, on the int8 GEMM.
  std::vector<bool> read(entries, false);
  for (size_t j = 0; j < g.nodes.size(); ++j) {
    const ModelNode& n = g.nodes[j];
    const EpilogueChain* add = residual_add_of[j];
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      const auto e = static_cast<size_t>(n.inputs[k]);
      read[e] = true;
      const bool as_x = k == 0 && takes_bytes(j);
      const bool as_residual = add != nullptr && add->residual == n.inputs[k] && on_int8_gemm(add->first);
      if (handoff[e] && !as_x && !as_residual) handoff[e] = false;
    }
  }
  for (size_t e = 0; e < entries; ++e)
    if (handoff[e] && !read[e]) handoff[e] = false;
  return handoff;
}

}  // namespace cvm
