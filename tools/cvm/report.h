// Shared pieces of the `cvm` subcommands: the command table, error reporting
// and exit codes, and small formatting helpers.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "cvm/shape.h"

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace cvm {
class Backend;
class Model;
}  // namespace cvm

namespace cvm::tool {

/// Exit codes of every subcommand (those of the C API, plus 3 for `cvm op`).
inline constexpr int kExitOk = 0;
inline constexpr int kExitLogic = 1;     ///< LogicError: the model, input or trace is invalid
inline constexpr int kExitRuntime = 2;   ///< RuntimeError, I/O, usage error
inline constexpr int kExitMismatch = 3;  ///< `cvm op`: outputs differ from the expected ones

/// The "format" value of a `cvm trace` file (read back by `cvm diff`).
inline constexpr const char* kTraceFormat = "cvm-trace-1";

/// A bad command line that CLI11 cannot see (e.g. a MODEL that is one file):
/// reported as "usage error: ...", exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One subcommand: its CLI11 app and what to do when it was chosen. The
/// action returns the exit code; it may throw (see run_guarded).
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> action;
};

Command add_run_command(CLI::App& parent);
Command add_info_command(CLI::App& parent);
Command add_gas_command(CLI::App& parent);
Command add_check_command(CLI::App& parent);
Command add_trace_command(CLI::App& parent);
Command add_diff_command(CLI::App& parent);
Command add_op_command(CLI::App& parent);
Command add_ops_command(CLI::App& parent);
Command add_prove_command(CLI::App& parent);
Command add_bench_command(CLI::App& parent);
#ifdef CVM_HAVE_QUANTIZER
Command add_quantize_command(CLI::App& parent);
#endif

/// The message for an exception and its exit code:
///   cvm::LogicError            -> "logic error: <label>: <message>", 1
///   cvm::RuntimeError          -> "runtime error: <label>: <message>", 2
///   UsageError                 -> "usage error: <message>", 2
///   std::bad_alloc             -> "runtime error: out of memory", 2
///   any other std::exception   -> "runtime error: <what>", 2
/// Must be called inside a catch block (it rethrows the current exception).
int describe_current_exception(std::string& message);

/// Runs `action`, printing any exception as above to stderr; returns the exit code.
int run_guarded(const std::function<int()>& action);

/// "[1, -2, 3]" for at most `limit` values, then ", ... (N values)".
std::string values_preview(std::span<const int32_t> values, size_t limit = 16);

/// The shape as a JSON array.
nlohmann::json shape_json(const Shape& shape);

/// What `cvm --version` prints: version, git commit, compiler, build type,
/// the backends built in (and whether cuda has a device) and the ISA level
/// the fast backend uses on this CPU.
std::string version_text();

/// Where a result came from, as recorded by `cvm trace` and printed by
/// `cvm bench`: {"cvm_version", "cvm_commit", "backend", "isa_level",
/// "threads"} (threads: the backend's CPU threads, Backend::threads()).
nlohmann::ordered_json provenance(const Backend& backend);

/// A CLI11 check: the option's text is a whole number >= 0 that fits int64
/// ("-5", "1e3" or "abc" are refused with a message saying so).
CLI::Validator non_negative_integer();

}  // namespace cvm::tool
