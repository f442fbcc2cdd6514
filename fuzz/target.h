// The fuzz targets of cvm (docs/fuzzing.rst). Each target is a function from
// bytes to a report: "" when the input was handled correctly (accepted, or
// rejected as the spec says), otherwise a readable description of the bug.
// The libFuzzer entry point (fuzz/main.cc) aborts with a non-empty report;
// the oracle test fuzz_regressions replays seed corpora and saved crash
// inputs through the same functions in ordinary builds.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cvm::fuzz {

using Bytes = std::span<const uint8_t>;

struct Target {
  std::string_view name;
  std::string (*run)(Bytes input);
  /// Seed inputs for the corpus (small, generated, deterministic).
  /// `source_dir` is the repository root (examples/ is read from there).
  std::vector<std::string> (*seeds)(const std::string& source_dir);
};

/// Every target, in a fixed order.
std::span<const Target> targets();
const Target* find_target(std::string_view name);

// The targets (one file each in fuzz/).
std::string fuzz_graph_json(Bytes input);   // graph_json.cc
std::string fuzz_params(Bytes input);       // params.cc
std::string fuzz_npy(Bytes input);          // npy.cc
std::string fuzz_model(Bytes input);        // model.cc
std::string fuzz_op_diff(Bytes input);      // op_diff.cc
std::string fuzz_model_diff(Bytes input);   // model_diff.cc
std::string fuzz_certified(Bytes input);    // certified.cc
#ifdef CVM_HAVE_CUDA
std::string fuzz_cuda_op_diff(Bytes input); // cuda_op_diff.cc (CUDA builds only)
#endif

std::vector<std::string> seeds_graph_json(const std::string& source_dir);
std::vector<std::string> seeds_params(const std::string& source_dir);
std::vector<std::string> seeds_npy(const std::string& source_dir);
std::vector<std::string> seeds_model(const std::string& source_dir);
/// Seeded pseudo-random byte strings (the structured targets decode any bytes).
std::vector<std::string> seeds_random_bytes(const std::string& source_dir);

}  // namespace cvm::fuzz
