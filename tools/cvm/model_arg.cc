#include "model_arg.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <system_error>

#include "cvm/errors.h"
#include "cvm/npy.h"
#include "cvm/runtime.h"
#include "fast/kernel.h"
#include "report.h"

namespace cvm::tool {

namespace fs = std::filesystem;

CLI::Option* add_model_arg(CLI::App& app, ModelArg& arg, bool with_memory_cap, bool required) {
  // Two positionals rather than one taking 1 or 2 words, so that the usage
  // line reads "MODEL [PARAMS]"; ModelArg::words() joins them.
  CLI::Option* model =
      app.add_option("MODEL", arg.model,
                     "the model: a directory holding the files 'symbol' and 'params', or the "
                     "symbol file when PARAMS is given");
  app.add_option("PARAMS", arg.params, "the params file, when MODEL is the symbol file");
  if (required) model->required();
  if (with_memory_cap)
    app.add_option("--memory-cap", arg.memory_cap,
                   "the most memory in bytes the engine may plan for the model (model_c6)")
        ->check(non_negative_integer())
        ->default_val(arg.memory_cap);
  return model;
}

std::vector<std::string> ModelArg::words() const {
  std::vector<std::string> w;
  if (!model.empty()) w.push_back(model);
  if (!params.empty()) w.push_back(params);
  return w;
}

ModelPaths resolve_model(const std::vector<std::string>& words) {
  if (words.size() == 2) return {words[0], words[1]};
  if (words.size() != 1)
    throw UsageError("MODEL is a directory holding 'symbol' and 'params', or two paths SYMBOL PARAMS");
  const std::string& dir = words[0];
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (!fs::exists(st)) throw_runtime("io", str(dir, ": no such file or directory"));
  if (!fs::is_directory(st))
    throw UsageError(str("MODEL '", dir,
                         "' is not a directory; give a directory holding 'symbol' and 'params', "
                         "or the two paths SYMBOL PARAMS"));
  return {(fs::path(dir) / "symbol").string(), (fs::path(dir) / "params").string()};
}

std::shared_ptr<const Model> load_model(const ModelArg& arg) {
  const ModelPaths p = resolve_model(arg.words());
  LoadOptions options;
  options.memory_cap_bytes = arg.memory_cap;
  return Model::load_files(p.symbol, p.params, options);
}

LoadedModel load_model_bytes(const ModelArg& arg) {
  LoadedModel m;
  m.paths = resolve_model(arg.words());
  m.symbol_bytes = read_file(m.paths.symbol);
  m.params_bytes = read_file(m.paths.params);
  LoadOptions options;
  options.memory_cap_bytes = arg.memory_cap;
  m.model = Model::load(m.symbol_bytes, m.params_bytes, options);
  return m;
}

void add_backend_option(CLI::App& app, std::string& name) {
  app.add_option("--backend", name,
                 "the backend that runs the model: fast (the optimized CPU kernels, bit-identical "
                 "to the reference), reference (the spec's kernels, one node at a time) or cuda "
                 "(those built into this binary)")
      ->default_val(name);
}

void add_isa_option(CLI::App& app, std::string& level) {
  app.add_option("--isa", level,
                 "the instruction-set level the fast backend runs at: portable, avx2, avx_vnni or "
                 "avx512_vnni (default: the highest this CPU has); every level gives the same bits");
}

std::unique_ptr<Backend> backend_at_isa(const std::string& name, const std::string& level, int threads) {
  if (level.empty()) return nullptr;
  std::string have;
  for (const fast::Isa isa : fast::available_isas()) {
    // Only the fast backend has levels; the others ignore --isa.
    if (level == fast::isa_name(isa))
      return name == "fast" ? make_fast_backend(threads > 0 ? threads : default_thread_count(), isa) : nullptr;
    have += (have.empty() ? "" : ", ") + std::string(fast::isa_name(isa));
  }
  throw_runtime("isa", str("--isa ", level, ": not an instruction-set level this CPU has; it has ", have));
}

const Backend& select_backend(const std::string& name) {
  if (const Backend* b = find_backend(name)) return *b;
  std::string built;
  for (const std::string& n : backend_names()) built += (built.empty() ? "" : ", ") + n;
  if (name == "cuda" && cuda_backend() == nullptr)
    throw_runtime("backend", str("backend 'cuda' is not usable here: this cvm was built without CUDA, or no "
                                 "CUDA device is present; usable: ", built));
  throw_runtime("backend",
                str("backend '", name, "' is unknown or not built into this cvm; built: ", built));
}

Tensor read_input(const Model& model, const std::string& path) {
  NpyArray a = read_npy(path);
  return make_input(model, a.shape, std::move(a.data));
}

}  // namespace cvm::tool
