// The cvm command-line tool.
//
//   cvm run MODEL --input x.npy --output y.npy   one inference, .npy in and out
//   cvm info MODEL [--json]                      nodes, types, gas, memory
//   cvm gas MODEL | cvm gas --symbol FILE        the gas (one integer)
//   cvm check MODEL                              validate only
//   cvm trace MODEL --input x.npy                per-node SHA-256 trace (JSON)
//   cvm diff TRACE_A TRACE_B                     first differing node
//   cvm op CASE.json                             one operator case on the reference
//   cvm ops                                      list the operators
//   cvm quantize MODEL.onnx --calibration c.npy -o DIR   float ONNX -> integer model
//   cvm --version                                version, commit, compiler, backends, ISA
//
// MODEL is a directory holding `symbol` and `params`, or two paths SYMBOL PARAMS.
// Exit codes follow the C API: 0 ok, 1 logic error (invalid model, input or
// trace difference for diff), 2 runtime error (bound violated, I/O, usage),
// 3 (op only) expected output mismatch. Each subcommand has --help.
#include <CLI/CLI.hpp>
#include <iostream>
#include <vector>

#include "report.h"

int main(int argc, char** argv) {
  using namespace cvm::tool;
  return run_guarded([&] {
    CLI::App app{"cvm: deterministic integer-only neural-network inference (Cortex CVM models).",
                 "cvm"};
    app.require_subcommand(0, 1);
    app.set_version_flag("--version", version_text,
                         "Print the version, git commit, compiler, build type, backends and the "
                         "CPU's instruction-set level, then exit");
    app.footer(
        "MODEL is a directory holding the files 'symbol' and 'params', or the two paths SYMBOL "
        "PARAMS. Exit codes: 0 ok, 1 logic error (the model, input or case is invalid; for diff: "
        "the traces differ), 2 runtime error (I/O, bound violated, usage), 3 (op) output "
        "mismatch. Run 'cvm SUBCOMMAND --help' for each subcommand.");
    std::vector<Command> commands = {
        add_run_command(app),   add_info_command(app), add_gas_command(app),
        add_check_command(app), add_trace_command(app), add_diff_command(app),
        add_op_command(app),    add_ops_command(app),   add_prove_command(app),
        add_bench_command(app)};
#ifdef CVM_HAVE_QUANTIZER
    commands.push_back(add_quantize_command(app));
#endif
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      // --help exits 0; every other parse error is a usage error, exit 2.
      return app.exit(e) == 0 ? kExitOk : kExitRuntime;
    }
    for (const Command& c : commands)
      if (c.app->parsed()) return c.action();
    std::cerr << app.help();
    return kExitRuntime;
  });
}
