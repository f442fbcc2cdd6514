// Backend == reference, bit for bit: the comparison behind the fast kernels'
// tests and properties and the differential fuzz targets. Reports are
// readable text ("" when everything agrees) so that a test can print them and
// a fuzz target can abort with them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"
#include "fast/kernel.h"

namespace cvm::gen {

/// What one run produced: outputs, or the error class and label
/// ("logic <label>", "runtime <label>" for a constraint upstream reports with
/// code 2, "runtime <label> (<message>)" for a bound, "other <what>").
struct Outcome {
  std::vector<Tensor> outputs;
  std::string error;
};

/// Runs `fn`, catching cvm's two error classes and anything else.
Outcome capture(const std::function<std::vector<Tensor>()>& fn);

/// True when the outcome is a constraint's rejection (a logic error, or a
/// runtime one upstream reports with code 2), not a bound or another failure.
bool is_rejection(const Outcome& o);

/// "" when the tensors are equal, else the first difference (shape,
/// precision, or the first differing coordinate with both values).
std::string first_difference(const Tensor& expected, const Tensor& actual);

/// "" when both outcomes agree: the same error class and label, or the same
/// number of outputs with equal bits.
std::string compare_outcomes(const Outcome& want, const Outcome& got);

/// "op conv2d, attrs {...}, inputs (1, 3, 8, 8)/p8 ..." for reports.
std::string describe_case(const std::string& op, const AttrMap& attrs,
                          const std::vector<Tensor>& inputs);

/// The inputs as JSON when they are small enough to read (replayable with
/// `cvm op`), else a note that they are not printed.
std::string dump_inputs(const std::vector<Tensor>& inputs);

/// One way of running the fast kernels: the ISA level their paths use, the
/// thread count, and whether the inputs are packed constants (the
/// factories' constant path) or runtime values.
struct FastConfig {
  /// The highest ISA level the kernels may use (fast::available_isas()).
  fast::Isa isa;
  /// Threads of the pool the kernels split their work over.
  int threads;
  /// Inputs given as constants, which a factory may pack, instead of runtime values.
  bool constant_inputs;
};

/// Every configuration the fast kernels of `op` are checked in: each ISA
/// level the CPU has at which op's kernels have paths of their own
/// (fast::isa_has_own_paths), each of `thread_counts`, runtime and constant inputs.
std::vector<FastConfig> fast_configs(const std::string& op, const std::vector<int>& thread_counts);

/// The configuration in words, for reports ("fast avx2 paths, 7 threads, constant inputs").
std::string config_name(const FastConfig& config);

/// Runs `op` once on the fast kernels in `config`, capturing its outputs or its error.
Outcome run_fast_config(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                        const FastConfig& config);

}  // namespace cvm::gen
