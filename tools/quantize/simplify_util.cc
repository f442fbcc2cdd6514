#include "tools/quantize/simplify_util.h"

#include <set>
#include <utility>

#include "cvm/errors.h"

namespace cvm::quant::detail {
namespace {

bool name_taken(const FloatGraph& g, const std::vector<FNode>& more, const std::string& name) {
  if (name == g.input || g.is_constant(name)) return true;
  for (const FNode& n : g.nodes)
    if (n.output == name) return true;
  for (const FNode& n : more)
    if (n.output == name) return true;
  return false;
}

}  // namespace

void fail(const FNode& n, const std::string& message) { throw_logic("quantize", n.describe() + ": " + message); }

const FTensor& constant(const FloatGraph& g, const FNode& n, size_t input, const char* what) {
  if (input >= n.inputs.size() || !g.is_constant(n.inputs[input]))
    fail(n, std::string(what) + " must be a constant (an initializer)");
  return g.constants.at(n.inputs[input]);
}

std::vector<float> vector_of(const FloatGraph& g, const FNode& n, size_t input, int64_t size, const char* what) {
  const FTensor& t = constant(g, n, input, what);
  if (static_cast<int64_t>(t.data.size()) != size)
    fail(n, std::string(what) + " has " + std::to_string(t.data.size()) + " values, expected " + std::to_string(size));
  return t.data;
}

int64_t int_value(float v) {
  constexpr float kFar = 1073741824.0f;  // 2^30
  if (!(v > -kFar)) return -(int64_t{1} << 30);  // also NaN
  if (!(v < kFar)) return int64_t{1} << 30;
  return static_cast<int64_t>(v);
}

std::map<std::string, int> use_counts(const FloatGraph& g) {
  std::map<std::string, int> uses;
  for (const FNode& n : g.nodes)
    for (const std::string& in : n.inputs) ++uses[in];
  for (const std::string& out : g.outputs) ++uses[out];
  return uses;
}

void rename_uses(FloatGraph& g, const std::string& from, const std::string& to) {
  for (FNode& n : g.nodes)
    for (std::string& in : n.inputs)
      if (in == from) in = to;
  for (std::string& out : g.outputs)
    if (out == from) out = to;
}

std::string fresh_constant(FloatGraph& g, const std::string& base, FTensor t) {
  const std::string name = fresh_tensor(g, {}, base);
  g.constants[name] = std::move(t);
  return name;
}

std::string fresh_tensor(const FloatGraph& g, const std::vector<FNode>& more, const std::string& base) {
  std::string name = base;
  for (int i = 1; name_taken(g, more, name); ++i) name = base + "_" + std::to_string(i);
  return name;
}

}  // namespace cvm::quant::detail
