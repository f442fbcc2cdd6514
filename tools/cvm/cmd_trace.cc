// cvm trace MODEL --input x.npy [--output trace.json] [--backend NAME]
//
// Runs one inference and records a SHA-256 of every operator node's outputs,
// so that two runs (two backends, two machines, two builds) can be compared
// node by node with `cvm diff`. The trace is JSON:
//
//   {"format": "cvm-trace-1",
//    "symbol_sha256": SHA-256 of the symbol file's bytes, as read,
//    "params_sha256": SHA-256 of the params file's bytes, as read,
//    "input_sha256":  SHA-256 of the input after saturation to the input
//                     precision: its int32 values in row-major order, each as
//                     4 little-endian two's-complement bytes,
//    "backend": the backend's name,
//    "cvm_version", "cvm_commit": the build of cvm that ran it (version.h),
//    "isa_level": the fast backend's instruction-set level on this CPU,
//    "threads": the backend's CPU threads (1 but for the fast backend),
//    "nodes": [{"node": i, "name": ..., "op": canonical operator name,
//               "outputs": [{"shape": [...], "precision": p,
//                            "sha256": SHA-256 of the output's int32 values,
//                                      row-major, 4 little-endian bytes each}]}
//              ... one per operator node, in execution order (variables are
//              not listed: they are covered by params_sha256/input_sha256)],
//    "output_sha256": SHA-256 of the encoded output, the exact bytes
//                     CVMAPIInference writes (post-processed, in the model's
//                     output width: 1 byte per element or 4 little-endian)}
//
// Hashes are 64 lowercase hex digits. Nothing else (paths, times) is
// recorded, so the same model and input give byte-identical traces on the same
// build, backend, ISA level and thread count. The provenance keys are optional
// for `cvm diff` (older traces lack them), which notes where two traces'
// provenance differs; none of it changes a value.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cvm/errors.h"
#include "cvm/runtime.h"
#include "model_arg.h"
#include "report.h"
#include "sha256.h"

namespace cvm::tool {
namespace {

struct TraceOptions {
  ModelArg model;
  std::string input;
  std::string output;
  std::string backend = "fast";  // bit-identical to the reference, faster
  std::string isa;               // --isa: "" is the CPU's own level
};

using ojson = nlohmann::ordered_json;

int trace_command(const TraceOptions& o) {
  const std::unique_ptr<Backend> at_isa = backend_at_isa(o.backend, o.isa);
  const Backend& backend = at_isa ? *at_isa : select_backend(o.backend);
  const LoadedModel m = load_model_bytes(o.model);
  const Model& model = *m.model;
  Runtime runtime(m.model, backend);
  const Tensor input = read_input(model, o.input);

  std::vector<ojson> nodes;
  const NodeObserver observer = [&](size_t node, std::span<const Tensor> outputs) {
    const ModelNode& n = model.graph().nodes.at(node);
    ojson outs = ojson::array();
    for (const Tensor& t : outputs)
      outs.push_back(ojson{{"shape", shape_json(t.shape)},
                           {"precision", t.precision},
                           {"sha256", sha256_int32_hex(t.data)}});
    nodes.push_back(ojson{{"node", node},
                          {"name", n.name},
                          {"op", n.is_variable() ? std::string("variable") : std::string(n.op->name)},
                          {"outputs", outs}});
  };
  const std::vector<Tensor> heads = runtime.run(input, &observer);
  const std::string output_bytes = encode_output(model, postprocess(model, heads));

  // One top-level key per line and one node per line, so that a textual diff
  // of two traces is readable too.
  std::ostringstream os;
  os << "{\"format\": " << ojson(kTraceFormat).dump() << ",\n"
     << " \"symbol_sha256\": " << ojson(sha256_hex(m.symbol_bytes)).dump() << ",\n"
     << " \"params_sha256\": " << ojson(sha256_hex(m.params_bytes)).dump() << ",\n"
     << " \"input_sha256\": " << ojson(sha256_int32_hex(input.data)).dump() << ",\n"
     << " \"backend\": " << ojson(std::string(backend.name())).dump() << ",\n";
  const ojson from = provenance(backend);
  for (const char* key : {"cvm_version", "cvm_commit", "isa_level", "threads"})
    os << " " << ojson(key).dump() << ": " << from.at(key).dump() << ",\n";
  os << " \"nodes\": [";
  for (size_t i = 0; i < nodes.size(); ++i) os << (i ? ",\n  " : "\n  ") << nodes[i].dump();
  os << (nodes.empty() ? "]" : "\n ]") << ",\n"
     << " \"output_sha256\": " << ojson(sha256_hex(output_bytes)).dump() << "}\n";

  if (o.output.empty() || o.output == "-") {
    std::cout << os.str();
  } else {
    std::ofstream f(o.output, std::ios::binary | std::ios::trunc);
    if (!f) throw_runtime("io", str(o.output, ": cannot open for writing"));
    f << os.str();
    f.close();
    if (!f) throw_runtime("io", str(o.output, ": write error"));
    std::cerr << "trace of " << nodes.size() << " nodes written to " << o.output << "\n";
  }
  return kExitOk;
}

}  // namespace

Command add_trace_command(CLI::App& parent) {
  auto o = std::make_shared<TraceOptions>();
  CLI::App* app = parent.add_subcommand(
      "trace", "Run one inference and record a SHA-256 of every operator node's outputs (JSON).");
  add_model_arg(*app, o->model, /*with_memory_cap=*/true);
  app->add_option("--input,-i", o->input,
                  "the input tensor: an int8 or int32 .npy of the shape of 'data'")
      ->required();
  app->add_option("--output,-o", o->output, "where to write the trace (default: standard output)");
  add_backend_option(*app, o->backend);
  add_isa_option(*app, o->isa);
  app->footer(
      "The default backend is fast (bit-identical to reference, which --backend reference "
      "selects). The trace is {\"format\": \"cvm-trace-1\", \"symbol_sha256\", \"params_sha256\", "
      "\"input_sha256\", \"backend\", \"cvm_version\", \"cvm_commit\", \"isa_level\", "
      "\"threads\", \"nodes\": [{\"node\", \"name\", \"op\", \"outputs\": "
      "[{\"shape\", \"precision\", \"sha256\"}]}], \"output_sha256\"}. What is hashed "
      "(SHA-256, lowercase hex): symbol_sha256 and params_sha256 the two files' bytes as read; "
      "input_sha256 the input after saturation to the input precision, as int32 values in "
      "row-major order, 4 little-endian bytes each; each node output's sha256 its int32 values "
      "the same way; output_sha256 the encoded output bytes exactly as CVMAPIInference writes "
      "them (post-processed, 1 byte or 4 little-endian bytes per element). One entry per "
      "operator node in execution order; variables are not listed. Compare two traces with "
      "'cvm diff', which also notes a difference in build, backend, ISA level or threads.");
  return {app, [o] { return trace_command(*o); }};
}

}  // namespace cvm::tool
