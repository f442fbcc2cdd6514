// cvm diff TRACE_A TRACE_B: the first node whose outputs differ between two
// `cvm trace` files.
//
// Exit 0 when the traces agree (same model, input, node outputs and output),
// 1 when they differ, 2 when a trace cannot be read or is malformed. Where the
// traces' provenance differs (build, backend, ISA level, thread count: keys
// that older traces lack), a note says so; it never changes the verdict,
// since none of these may change a value.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <regex>
#include <stdexcept>

#include "cvm/errors.h"
#include "cvm/model.h"
#include "report.h"

namespace cvm::tool {
namespace {

using json = nlohmann::json;

class MalformedTrace : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TraceOutput {
  std::vector<int64_t> shape;
  int64_t precision = 0;
  std::string sha256;
};

struct TraceNode {
  int64_t node = 0;
  std::string name;
  std::string op;
  std::vector<TraceOutput> outputs;
};

struct Trace {
  std::string symbol_sha256, params_sha256, input_sha256, backend, output_sha256;
  std::vector<TraceNode> nodes;
  // Provenance (optional: "" / -1 when an older trace lacks it).
  std::string cvm_version, cvm_commit, isa_level;
  int64_t threads = -1;
};

[[noreturn]] void malformed(const std::string& where, const std::string& what) {
  throw MalformedTrace(where + ": " + what);
}

const json& member(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) malformed(where, str("missing key \"", key, "\""));
  return *it;
}

std::string string_member(const json& obj, const char* key, const std::string& where) {
  const json& v = member(obj, key, where);
  if (!v.is_string()) malformed(where, str("\"", key, "\" is not a string"));
  return v.get<std::string>();
}

int64_t int_member(const json& obj, const char* key, const std::string& where) {
  const json& v = member(obj, key, where);
  if (!v.is_number_integer()) malformed(where, str("\"", key, "\" is not an integer"));
  return v.get<int64_t>();
}

const json& array_member(const json& obj, const char* key, const std::string& where) {
  const json& v = member(obj, key, where);
  if (!v.is_array()) malformed(where, str("\"", key, "\" is not an array"));
  return v;
}

// Element i of `array`, which must be an object (`where` names it).
const json& object_element(const json& array, size_t i, const std::string& where) {
  const json& v = array[i];
  if (!v.is_object()) malformed(where, "not an object");
  return v;
}

std::string hash_member(const json& obj, const char* key, const std::string& where) {
  static const std::regex kHex("[0-9a-f]{64}");
  std::string h = string_member(obj, key, where);
  if (!std::regex_match(h, kHex))
    malformed(where, str("\"", key, "\" is not a SHA-256 (64 lowercase hex digits)"));
  return h;
}

/// An optional string key: "" when absent.
std::string optional_string(const json& obj, const char* key, const std::string& where) {
  return obj.contains(key) ? string_member(obj, key, where) : std::string();
}

Trace parse_trace(const std::string& path, const char* which) {
  std::string text;
  try {
    text = read_file(path);
  } catch (const RuntimeError& e) {  // io: missing, a directory, unreadable
    throw in_context(e, str("cannot read trace ", which));
  }
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    malformed(path, str("not JSON: ", e.what()));
  }
  if (!j.is_object()) malformed(path, "the top level is not an object");
  if (string_member(j, "format", path) != kTraceFormat)
    malformed(path, str("\"format\" is not \"", kTraceFormat, "\""));
  Trace t;
  t.symbol_sha256 = hash_member(j, "symbol_sha256", path);
  t.params_sha256 = hash_member(j, "params_sha256", path);
  t.input_sha256 = hash_member(j, "input_sha256", path);
  t.backend = string_member(j, "backend", path);
  t.output_sha256 = hash_member(j, "output_sha256", path);
  t.cvm_version = optional_string(j, "cvm_version", path);
  t.cvm_commit = optional_string(j, "cvm_commit", path);
  t.isa_level = optional_string(j, "isa_level", path);
  if (j.contains("threads")) {
    t.threads = int_member(j, "threads", path);
    if (t.threads < 1) malformed(path, "\"threads\" is not a positive integer");
  }
  const json& nodes = array_member(j, "nodes", path);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const std::string where = str(path, ": nodes[", i, "]");
    const json& n = object_element(nodes, i, where);
    TraceNode tn;
    tn.node = int_member(n, "node", where);
    if (tn.node < 0 || (!t.nodes.empty() && tn.node <= t.nodes.back().node))
      malformed(where, "node ids are not non-negative and strictly increasing");
    tn.name = string_member(n, "name", where);
    tn.op = string_member(n, "op", where);
    const json& outs = array_member(n, "outputs", where);
    for (size_t k = 0; k < outs.size(); ++k) {
      const std::string ow = str(where, ".outputs[", k, "]");
      const json& o = object_element(outs, k, ow);
      TraceOutput to;
      const json& shape = array_member(o, "shape", ow);
      for (const json& d : shape) {
        if (!d.is_number_integer()) malformed(ow, "\"shape\" holds a non-integer");
        to.shape.push_back(d.get<int64_t>());
      }
      to.precision = int_member(o, "precision", ow);
      to.sha256 = hash_member(o, "sha256", ow);
      tn.outputs.push_back(std::move(to));
    }
    t.nodes.push_back(std::move(tn));
  }
  return t;
}

std::string describe(const TraceNode& n) {
  return str("node ", n.node, " '", n.name, "' (", n.op, ")");
}

std::string shape_text(const std::vector<int64_t>& s) { return shape_str(s); }

/// The first difference between the node lists, or "" if none.
std::string first_node_difference(const Trace& a, const Trace& b) {
  size_t i = 0, j = 0;
  while (i < a.nodes.size() || j < b.nodes.size()) {
    if (j == b.nodes.size() || (i < a.nodes.size() && a.nodes[i].node < b.nodes[j].node))
      return str(describe(a.nodes[i]), " is in trace A only");
    if (i == a.nodes.size() || b.nodes[j].node < a.nodes[i].node)
      return str(describe(b.nodes[j]), " is in trace B only");
    const TraceNode& na = a.nodes[i];
    const TraceNode& nb = b.nodes[j];
    if (na.name != nb.name || na.op != nb.op)
      return str("node ", na.node, " differs: A is ", describe(na), ", B is ", describe(nb));
    if (na.outputs.size() != nb.outputs.size())
      return str(describe(na), ": A has ", na.outputs.size(), " outputs, B has ", nb.outputs.size());
    for (size_t k = 0; k < na.outputs.size(); ++k) {
      const TraceOutput& oa = na.outputs[k];
      const TraceOutput& ob = nb.outputs[k];
      if (oa.shape != ob.shape || oa.precision != ob.precision)
        return str(describe(na), ", output ", k, ": type differs: A shape ", shape_text(oa.shape),
                   " precision ", oa.precision, ", B shape ", shape_text(ob.shape), " precision ",
                   ob.precision);
      if (oa.sha256 != ob.sha256)
        return str(describe(na), ", output ", k, ": values differ\n  A sha256 ", oa.sha256,
                   "\n  B sha256 ", ob.sha256);
    }
    ++i;
    ++j;
  }
  return "";
}

/// Notes on where the traces came from: differences of build, backend, ISA
/// level or thread count (none of which may change a value), or a trace
/// that does not record them.
std::vector<std::string> provenance_notes(const Trace& a, const Trace& b) {
  std::vector<std::string> notes;
  if (a.backend != b.backend)
    notes.push_back(str("different backends: A ", a.backend, ", B ", b.backend));
  // Traces older than these keys record none of them.
  const bool old_a = a.cvm_version.empty(), old_b = b.cvm_version.empty();
  if (old_a || old_b) {
    if (old_a != old_b)
      notes.push_back(str("trace ", old_a ? "A" : "B",
                          " does not record its build, ISA level or thread count (an older cvm)"));
    return notes;
  }
  const auto build = [](const Trace& t) { return str(t.cvm_version, " (commit ", t.cvm_commit, ")"); };
  if (a.cvm_version != b.cvm_version || a.cvm_commit != b.cvm_commit)
    notes.push_back(str("different builds: A cvm ", build(a), ", B cvm ", build(b)));
  if (a.isa_level != b.isa_level)
    notes.push_back(str("different ISA levels: A ", a.isa_level, ", B ", b.isa_level));
  if (a.threads != b.threads)
    notes.push_back(str("different thread counts: A ", a.threads, ", B ", b.threads));
  return notes;
}

struct DiffOptions {
  std::string a;
  std::string b;
};

int diff_command(const DiffOptions& o) {
  Trace a, b;
  try {
    a = parse_trace(o.a, "A");
    b = parse_trace(o.b, "B");
  } catch (const MalformedTrace& e) {
    std::cerr << "malformed trace: " << e.what() << "\n";
    return kExitRuntime;
  }
  std::cout << "A: " << o.a << " (backend " << a.backend << ", " << a.nodes.size() << " nodes)\n"
            << "B: " << o.b << " (backend " << b.backend << ", " << b.nodes.size() << " nodes)\n";
  for (const std::string& note : provenance_notes(a, b))
    std::cout << "note: " << note << " (this alone never changes a value)\n";
  bool differ = false;
  const bool same_model = a.symbol_sha256 == b.symbol_sha256 && a.params_sha256 == b.params_sha256;
  const bool same_input = a.input_sha256 == b.input_sha256;
  if (!same_model) {
    differ = true;
    std::cout << "the models differ:";
    if (a.symbol_sha256 != b.symbol_sha256) std::cout << " symbol";
    if (a.params_sha256 != b.params_sha256) std::cout << " params";
    std::cout << "\n";
  }
  if (!same_input) {
    differ = true;
    std::cout << "the inputs differ\n";
  }
  if (same_model && same_input) std::cout << "same model and input\n";

  const std::string node_diff = first_node_difference(a, b);
  if (!node_diff.empty()) {
    std::cout << "first difference: " << node_diff << "\n";
    return 1;
  }
  if (a.output_sha256 != b.output_sha256) {
    std::cout << "all node outputs agree, but the post-processed outputs differ\n  A sha256 "
              << a.output_sha256 << "\n  B sha256 " << b.output_sha256 << "\n";
    return 1;
  }
  if (differ) {
    std::cout << "all node outputs agree (" << a.nodes.size() << " nodes), but the "
              << (same_model ? "inputs" : same_input ? "models" : "models and inputs")
              << " differ\n";
    return 1;
  }
  std::cout << "traces agree (" << a.nodes.size() << " nodes)\n";
  return kExitOk;
}

}  // namespace

Command add_diff_command(CLI::App& parent) {
  auto o = std::make_shared<DiffOptions>();
  CLI::App* app = parent.add_subcommand(
      "diff", "Compare two 'cvm trace' files and report the first node whose outputs differ.");
  app->add_option("TRACE_A", o->a, "the first trace")->required();
  app->add_option("TRACE_B", o->b, "the second trace")->required();
  app->footer(
      "Reports first whether the models (symbol, params) and inputs agree, then the first node, "
      "in node order, whose outputs differ (index, name, operator, output index, both hashes); a "
      "node present in one trace only is a difference. Exit 0 'traces agree (N nodes)', 1 the "
      "traces differ, 2 a trace is unreadable or malformed. A note (not a difference) says when the "
      "traces come from different builds, backends, ISA levels or thread counts.");
  return {app, [o] { return diff_command(*o); }};
}

}  // namespace cvm::tool
