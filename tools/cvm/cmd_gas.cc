// cvm gas MODEL | cvm gas --symbol FILE: the gas of one inference.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cvm/model.h"
#include "model_arg.h"
#include "report.h"

namespace cvm::tool {
namespace {

struct GasOptions {
  ModelArg model;
  std::string symbol;
};

int gas_command(const GasOptions& o) {
  std::string symbol_path = o.symbol;
  // A MODEL that is one regular file is a symbol alone, like --symbol.
  if (symbol_path.empty() && o.model.params.empty() &&
      !o.model.model.empty() && std::filesystem::is_regular_file(o.model.model))
    symbol_path = o.model.model;
  if (!symbol_path.empty()) {
    std::cout << load_graph(read_file(symbol_path)).gas << "\n";
    return kExitOk;
  }
  if (o.model.model.empty()) throw UsageError("give MODEL or --symbol FILE");
  std::cout << load_model(o.model)->gas() << "\n";
  return kExitOk;
}

}  // namespace

Command add_gas_command(CLI::App& parent) {
  auto o = std::make_shared<GasOptions>();
  CLI::App* app = parent.add_subcommand("gas", "Print the gas of one inference (one integer).");
  CLI::Option* model = add_model_arg(*app, o->model, /*with_memory_cap=*/true, /*required=*/false);
  CLI::Option* symbol = app->add_option(
      "--symbol", o->symbol,
      "compute the gas from the symbol file alone, without params (as "
      "CVMAPIGetGasFromGraphFile); a MODEL that is a single file is read the same way");
  model->excludes(symbol);
  symbol->excludes(model);
  app->footer(
      "With a full MODEL the params are loaded and checked too (CVMAPIGetGasFromModel); the gas "
      "itself depends on the symbol only (spec/model/gas.rst).");
  return {app, [o] { return gas_command(*o); }};
}

}  // namespace cvm::tool
