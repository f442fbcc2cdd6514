// The arguments shared by the model subcommands: MODEL (resolved here, once),
// --memory-cap, --backend and the input .npy.
//
// MODEL is either one directory holding the files `symbol` and `params` (the
// Cortex upload convention) or two paths SYMBOL PARAMS.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cvm/backend.h"
#include "cvm/model.h"
#include "cvm/tensor.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace cvm::tool {

struct ModelPaths {
  std::string symbol;
  std::string params;
};

struct ModelArg {
  std::string model;                         ///< MODEL: directory, or SYMBOL with PARAMS
  std::string params;                        ///< PARAMS, or empty
  int64_t memory_cap = int64_t{1} << 32;     ///< --memory-cap (model_c6)
  /// MODEL as given: 1 or 2 words (none if omitted).
  std::vector<std::string> words() const;
};

/// Adds the positionals MODEL [PARAMS] and, if asked, --memory-cap; returns
/// the MODEL option. With `required` false, MODEL may be omitted (--symbol).
CLI::Option* add_model_arg(CLI::App& app, ModelArg& arg, bool with_memory_cap,
                           bool required = true);

/// Resolves MODEL to the symbol and params paths. A MODEL that is neither a
/// directory nor two paths is a UsageError; a missing path is RuntimeError("io").
ModelPaths resolve_model(const std::vector<std::string>& words);

/// Resolves MODEL and loads it with Model::load_files.
std::shared_ptr<const Model> load_model(const ModelArg& arg);

/// Resolves MODEL, reads both files and loads the model from the bytes (for
/// commands that also hash the files).
struct LoadedModel {
  ModelPaths paths;
  std::string symbol_bytes;
  std::string params_bytes;
  std::shared_ptr<const Model> model;
};
LoadedModel load_model_bytes(const ModelArg& arg);

/// Adds --backend NAME; its default is `name`'s value on entry (the
/// commands that run models default to "fast").
void add_backend_option(CLI::App& app, std::string& name);

/// Adds --isa LEVEL: the instruction-set level the fast backend runs the
/// model at (portable, avx2, avx_vnni, avx512_vnni; default: the CPU's
/// own), so that one machine can compare every level its CPU has
/// (docs/audit.rst).
void add_isa_option(CLI::App& app, std::string& level);

/// Applies --isa to backend `name`: a fast backend of its own at `level`
/// (on `threads` threads, or the default thread count when 0); nullptr
/// when `level` is "" (use select_backend(name)) or the backend is not the
/// fast one (it has no levels). A name that is no level, or a level this
/// CPU lacks, is RuntimeError("isa") listing the levels it has.
std::unique_ptr<Backend> backend_at_isa(const std::string& name, const std::string& level,
                                        int threads = 0);

/// The backend named `name`; an unknown or unbuilt one is
/// RuntimeError("backend") listing backend_names().
const Backend& select_backend(const std::string& name);

/// Reads an int8 or int32 .npy (read_npy) and makes the model input from it
/// (make_input: the shape must be that of `data`, infer_c1; values saturated).
Tensor read_input(const Model& model, const std::string& path);

}  // namespace cvm::tool
