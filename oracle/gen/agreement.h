// One case run on several backends (the reference, the fast kernels in every
// configuration, the CUDA kernels), its outcomes grouped into classes of
// identical outcomes. A disagreement names which runs agree with each other,
// so a failure points at the odd run out (one ISA level, one thread count,
// constant inputs, cuda) without a second run.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"
#include "gen/differential.h"

namespace cvm::gen {

/// One way of running a case: its name in reports ("reference", "fast avx2
/// paths, 7 threads", "cuda, constant inputs") and the run itself.
struct NamedRun {
  std::string name;
  std::function<Outcome(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs)> run;
};

/// The reference, then every gen::fast_configs(op, thread_counts) through
/// gen::run_fast_config.
std::vector<NamedRun> reference_and_fast_runs(const std::string& op, const std::vector<int>& thread_counts);

/// What running one case on every run gave.
struct Agreement {
  /// The outcome of the first run (the reference, in the lists above).
  Outcome first;
  /// "" when every run gave the same outcome (the same outputs bit for bit,
  /// or the same rejection class and label); otherwise the case
  /// (gen::describe_case), the classes of runs that agree with each other
  /// separated by " | ", each class after the first with its difference from
  /// the first ("expected" is the first class's value), and the inputs
  /// (gen::dump_inputs).
  std::string report;
};

/// Runs the case on each of `runs` in order and groups the outcomes.
Agreement run_on_all(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                     const std::vector<NamedRun>& runs);

/// Runs `op` on the reference and on the fast kernels with each of
/// `thread_counts`, the inputs passed as runtime values and as packed
/// constants, on every ISA level the CPU has (fast::available_isas()) at
/// which op's kernels have paths of their own (fast::isa_has_own_paths):
/// run_on_all over reference_and_fast_runs. Returns "" when every run equals
/// the reference bit for bit or rejects alike (same class and label), else
/// run_on_all's report (which runs agree, the first differing coordinate,
/// both values, the inputs).
std::string fast_vs_reference(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                              const std::vector<int>& thread_counts);

}  // namespace cvm::gen
