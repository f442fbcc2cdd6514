// cvm_conformance_base OUT [SALT]: writes the base models of the conformance corpus
// (oracle/conformance/README.md) as JSON lines. The first line is the
// attribute schema of every operator (from the op table, so the mutator
// never keeps its own copy); each further line is one small valid model:
// {"id", "symbol", "params" (hex), "input" (values of data), "ops"}.
// The models come from the seeded random model generator, so the same
// binary always writes the same file; the file is committed, so the
// recorded verdicts never depend on this generator staying the same. A SALT
// other than 0 draws another, held-out set of models (ids "h<seed>").
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cvm/op.h"
#include "gen/chooser.h"
#include "gen/random_model.h"

namespace {

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using nlohmann::json;
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: %s OUT.jsonl [SALT]\n", argv[0]);
    return 2;
  }
  const uint64_t salt = argc == 3 ? std::strtoull(argv[2], nullptr, 10) : 0;
  std::ofstream out(argv[1]);
  json schema = json::object();
  for (const cvm::OpDef* op : cvm::all_ops()) {
    json fields = json::array();
    for (const cvm::AttrSpec& f : op->attr_schema().fields)
      fields.push_back({{"key", f.key}, {"type", cvm::attr_type_name(f.type)}, {"required", f.required}});
    schema[std::string(op->name)] = {{"has_parser", op->attr_schema().has_parser}, {"fields", fields}};
  }
  out << json{{"schema", schema}}.dump() << "\n";

  // Small models until every operator is in at least kPerOp of them.
  constexpr int kPerOp = 4;
  std::map<std::string, int> seen;
  int written = 0;
  for (uint64_t seed = 1; seed <= 4000; ++seed) {
    cvm::gen::SeededChooser c(seed * 7919 + salt * 1000003);
    cvm::gen::RandomModelOptions options;
    options.max_ops = 1 + static_cast<int>(seed % 3);
    options.max_elements = 48;
    options.max_work = 1 << 10;
    const cvm::gen::RandomModel m = cvm::gen::random_model(c, options);
    bool useful = false;
    for (const std::string& op : m.ops) useful |= seen[op] < kPerOp;
    if (!useful) continue;
    for (const std::string& op : m.ops) ++seen[op];
    out << json{{"id", (salt ? "h" : "m") + std::to_string(seed)},
                {"symbol", m.symbol},
                {"params", hex(m.params)},
                {"input", m.input.data},
                {"ops", m.ops}}
               .dump()
        << "\n";
    ++written;
    bool done = true;
    for (const cvm::OpDef* op : cvm::all_ops()) done &= seen[std::string(op->name)] >= kPerOp;
    if (done) break;
  }
  for (const cvm::OpDef* op : cvm::all_ops())
    if (seen[std::string(op->name)] < kPerOp)
      std::fprintf(stderr, "warning: %s is in only %d models\n", std::string(op->name).c_str(),
                   seen[std::string(op->name)]);
  std::printf("%d base models\n", written);
  return out ? 0 : 1;
}
