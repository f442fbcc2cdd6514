// Loading a model (spec/model/load.rst): the symbol, the params, the memory
// plan and the input/output facts the C API reports.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cvm/errors.h"
#include "cvm/model.h"
#include "cvm/params.h"
#include "cvm/plan.h"

namespace cvm {
namespace {

constexpr uint64_t kMaxStorageBytes = uint64_t{1} << 32;

// Binds the params arrays to the variables (model_c2 .. model_c5).
std::vector<Tensor> bind_params(const ModelGraph& g, std::vector<ParamArray> arrays) {
  std::map<std::string_view, size_t> variable;  // name -> node
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].is_variable()) variable.emplace(g.nodes[i].name, i);

  std::vector<Tensor> values(g.nodes.size());
  std::vector<bool> bound(g.nodes.size(), false);
  for (ParamArray& a : arrays) {
    const auto it = variable.find(a.name);
    CVM_REQUIRE(it != variable.end(), "model_c2", "params array '", a.name,
                "' names no variable of the symbol");
    const size_t node = it->second;
    if (static_cast<int64_t>(node) == g.data_node) continue;  // replaced by each input
    const TensorType& t = g.entries[static_cast<size_t>(g.nodes[node].first_entry)];
    CVM_REQUIRE(a.shape == t.shape, "model_c4", "params array '", a.name, "' has shape ",
                shape_str(a.shape), "; ", g.describe(node), " has shape ", shape_str(t.shape));
    for (size_t k = 0; k < a.data.size(); ++k)
      CVM_REQUIRE(in_precision(a.data[k], t.precision), "model_c5", "params array '", a.name,
                  "' value ", a.data[k], " at flat index ", k, " exceeds the precision ",
                  t.precision, " of ", g.describe(node));
    values[node] = Tensor{t.shape, t.precision, std::move(a.data)};  // a later duplicate wins
    bound[node] = true;
  }
  for (size_t i = 0; i < g.nodes.size(); ++i)
    CVM_REQUIRE(!g.nodes[i].is_variable() || static_cast<int64_t>(i) == g.data_node || bound[i],
                "model_c3", g.describe(i), " has no params array");
  return values;
}

}  // namespace

Model::Model(ModelGraph graph, std::vector<Tensor> values, std::unique_ptr<MemoryPlan> plan)
    : graph_(std::move(graph)), values_(std::move(values)), plan_(std::move(plan)) {}
Model::~Model() = default;

std::shared_ptr<const Model> Model::load(std::string_view symbol_json, std::string_view params,
                                         const LoadOptions& options) {
  // Gas limits are not checked here: upstream checks them only when gas is
  // asked for (Model::gas, CVMAPIGetGasFromModel).
  ModelGraph g = validate_graph(parse_graph_json(symbol_json));
  // In upstream's order: the kernel lookup, the storage size, the output count.
  for (size_t i = 0; i < g.nodes.size(); ++i)
    CVM_REQUIRE(!g.nodes[i].alias, "op_c4", g.describe(i), " is named by an upstream alias, which",
                " has no kernel");
  CVM_REQUIRE(g.storage_size <= kMaxStorageBytes, "storage_c1", "storage size ", g.storage_size,
              " bytes exceeds 2^32");
  CVM_REQUIRE(!g.heads.empty(), "model_c7", "the symbol has no heads (outputs)");
  CVM_REQUIRE(g.data_node >= 0, "model_c1", "the symbol has no variable named 'data'");
  std::vector<Tensor> values = bind_params(g, parse_params(params));
  auto plan = std::make_unique<MemoryPlan>(plan_memory(g));
  if (plan->bytes() > options.memory_cap_bytes)
    throw_runtime("model_c6", str("the model needs ", plan->bytes(),
                                  " bytes of memory; the memory cap is ",
                                  options.memory_cap_bytes));
  return std::make_shared<const Model>(std::move(g), std::move(values), std::move(plan));
}

std::shared_ptr<const Model> Model::load_files(const std::string& symbol_path,
                                               const std::string& params_path,
                                               const LoadOptions& options) {
  return load(read_file(symbol_path), read_file(params_path), options);
}

int64_t Model::input_entry() const {
  return graph_.nodes[static_cast<size_t>(graph_.data_node)].first_entry;
}

int Model::input_width() const { return input_type().precision <= 8 ? 1 : 4; }

int Model::output_precision() const {
  int p = 0;
  for (int64_t e : graph_.heads) p = std::max(p, graph_.entries[static_cast<size_t>(e)].precision);
  return p;
}

int Model::output_width() const {
  if (graph_.postprocess != Postprocess::kNone) return 4;
  return output_precision() <= 8 ? 1 : 4;
}

uint64_t Model::input_length() const {
  return static_cast<uint64_t>(shape_size(input_type().shape)) * static_cast<uint64_t>(input_width());
}

uint64_t Model::output_length() const {
  const auto& heads = graph_.heads;
  auto type_of = [&](size_t k) -> const TensorType& {
    return graph_.entries[static_cast<size_t>(heads[k])];
  };
  uint64_t elements = 0;
  if (graph_.postprocess == Postprocess::kArgmax) {
    for (size_t k = 0; k < heads.size(); ++k)
      elements += static_cast<uint64_t>(shape_size(type_of(k).shape) / type_of(k).shape.back());
  } else if (graph_.postprocess == Postprocess::kDetection || heads.size() > 1) {
    const auto rows = static_cast<uint64_t>(shape_size(type_of(0).shape) / type_of(0).shape.back());
    for (size_t k = 0; k < heads.size(); ++k) elements += rows * static_cast<uint64_t>(type_of(k).shape.back());
  } else {
    elements = static_cast<uint64_t>(shape_size(type_of(0).shape));
  }
  return elements * static_cast<uint64_t>(output_width());
}

std::string read_file(const std::string& path) {
  // A directory opens as a stream on some systems and then reads as empty,
  // which a parser would report as malformed: say what it is instead.
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(st))
    throw_runtime("io", str("cannot read ", path, ": it is a directory, not a file"));
  if (st.type() == std::filesystem::file_type::not_found)
    throw_runtime("io", str("cannot open ", path, ": no such file"));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_runtime("io", str("cannot open ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw_runtime("io", str("cannot read ", path));
  return std::move(ss).str();
}

}  // namespace cvm
