// Target graph_json: the symbol parser and the graph validator.
// Properties: parsing never crashes and rejects only with a constraint (guard.h); a
// parsed graph writes back to a file that parses to the same graph (the
// writer is a fixed point after one round); validation of a parsed graph
// (load_graph: graph_c*, op constraints, gas) rejects only with a constraint (guard.h).
#include "cvm/graph.h"
#include "cvm/model.h"
#include "fuzz/guard.h"
#include "fuzz/target.h"

namespace cvm::fuzz {

std::string fuzz_graph_json(Bytes input) {
  const std::string_view text = as_text(input);
  std::string report = guarded("graph_json parse/write", [&]() -> std::string {
    const Graph g = parse_graph_json(text);
    const std::string once = write_graph_json(g);
    const Graph g2 = parse_graph_json(once);
    if (write_graph_json(g2) != once)
      return "graph_json: write(parse(write(g))) differs from write(g)";
    return "";
  });
  if (!report.empty()) return report;
  return guarded("graph_json validate", [&]() -> std::string {
    (void)load_graph(text);
    return "";
  });
}

}  // namespace cvm::fuzz
