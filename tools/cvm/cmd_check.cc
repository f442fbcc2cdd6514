// cvm check MODEL: validate a model and print the verdict.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cvm/model.h"
#include "model_arg.h"
#include "report.h"

namespace cvm::tool {
namespace {

struct CheckOptions {
  ModelArg model;
  std::string symbol;
};

int check_command(const CheckOptions& o) {
  try {
    if (!o.symbol.empty()) {
      (void)load_graph(read_file(o.symbol));
    } else {
      if (o.model.model.empty()) throw UsageError("give MODEL or --symbol FILE");
      (void)load_model(o.model);
    }
  } catch (...) {
    // The verdict is the command's output: printed on stdout.
    std::string message;
    const int code = describe_current_exception(message);
    std::cout << message << "\n";
    return code;
  }
  std::cout << "ok\n";
  return kExitOk;
}

}  // namespace

Command add_check_command(CLI::App& parent) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* app = parent.add_subcommand(
      "check", "Validate a model (symbol, operators, gas, params, memory cap) without running it.");
  CLI::Option* model = add_model_arg(*app, o->model, /*with_memory_cap=*/true, /*required=*/false);
  CLI::Option* symbol =
      app->add_option("--symbol", o->symbol, "validate the symbol file alone (no params)");
  model->excludes(symbol);
  symbol->excludes(model);
  app->footer(
      "Prints 'ok', or the first violated constraint as 'logic error: <label>: <message>' or "
      "'runtime error: <label>: <message>'. Exit 0 ok, 1 logic error (the model is invalid), "
      "2 runtime error (I/O, memory cap, usage).");
  return {app, [o] { return check_command(*o); }};
}

}  // namespace cvm::tool
