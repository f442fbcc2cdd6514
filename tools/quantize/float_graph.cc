#include "tools/quantize/float_graph.h"

#include <algorithm>
#include <utility>

namespace cvm::quant {

int64_t FNode::int_attr(const std::string& key, int64_t fallback) const {
  const auto it = attrs.find(key);
  return it == attrs.end() ? fallback : it->second.i;
}

float FNode::float_attr(const std::string& key, float fallback) const {
  const auto it = attrs.find(key);
  return it == attrs.end() ? fallback : it->second.f;
}

std::vector<int64_t> FNode::ints_attr(const std::string& key, std::vector<int64_t> fallback) const {
  const auto it = attrs.find(key);
  return it == attrs.end() ? std::move(fallback) : it->second.ints;
}

std::string FNode::describe() const { return "node '" + name + "' (" + op + ")"; }

bool FloatGraph::is_output(const std::string& name) const {
  return std::find(outputs.begin(), outputs.end(), name) != outputs.end();
}

int64_t element_count(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

}  // namespace cvm::quant
