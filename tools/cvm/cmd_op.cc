// cvm op CASE.json: run one operator case on the reference kernels.
// cvm ops: list the registered operators.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cvm/errors.h"
#include "cvm/model.h"
#include "cvm/op.h"
#include "cvm/op_case.h"
#include "cvm/validate.h"
#include "report.h"

namespace cvm::tool {
namespace {

int op_command(const std::string& path) {
  const OpCase c = parse_op_case(read_file(path));
  std::cout << "op: " << c.op << "\n";
  for (size_t i = 0; i < c.inputs.size(); ++i)
    std::cout << "input " << i << " " << c.input_names[i] << ": shape " << shape_str(c.inputs[i].shape)
              << ", precision " << c.inputs[i].precision << "\n";
  const OpRun run = run_reference(c.op, c.attrs, c.inputs);
  for (size_t i = 0; i < run.outputs.size(); ++i) {
    const Tensor& t = run.outputs[i];
    std::cout << "output " << i << ": shape " << shape_str(t.shape) << ", precision " << t.precision
              << "\n  " << tensors_to_json({t}) << "\n";
  }
  std::cout << "gas weight: " << run.gas_weight << " per output element\n";
  if (!c.outputs.empty()) {
    const bool same = c.outputs == run.outputs;
    std::cout << "expected outputs: " << (same ? "match" : "MISMATCH") << "\n";
    if (!same) return kExitMismatch;
  }
  return kExitOk;
}

}  // namespace

Command add_op_command(CLI::App& parent) {
  auto path = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand(
      "op", "Run one operator case (JSON) on the reference kernels and print its outputs.");
  app->add_option("CASE", *path,
                  "the case: {\"op\", \"attrs\", \"inputs\": [{\"shape\", \"precision\", "
                  "\"data\"}], \"outputs\"}; outputs are optional and compared bit for bit")
      ->required();
  app->footer("Exit 0 ok, 1 logic error, 2 runtime error, 3 the outputs differ from the expected ones.");
  return {app, [path] { return op_command(*path); }};
}

Command add_ops_command(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand("ops", "List the operators, one per line.");
  return {app, [] {
            for (const OpDef* op : all_ops()) std::cout << op->name << "\n";
            return kExitOk;
          }};
}

}  // namespace cvm::tool
