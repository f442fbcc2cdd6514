#include "gen/agreement.h"

#include <utility>

#include "cvm/errors.h"
#include "cvm/validate.h"

namespace cvm::gen {
namespace {

// Runs whose outcomes are identical: one representative outcome and the
// names of every run that gave it.
struct OutcomeClass {
  Outcome outcome;
  std::vector<std::string> runs;
};

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : " = ") + n;
  return s;
}

}  // namespace

std::vector<NamedRun> reference_and_fast_runs(const std::string& op, const std::vector<int>& thread_counts) {
  std::vector<NamedRun> runs;
  runs.push_back({"reference", [](const std::string& o, const AttrMap& a, const std::vector<Tensor>& in) {
                    return capture([&] { return run_reference(o, a, in).outputs; });
                  }});
  for (const FastConfig& config : fast_configs(op, thread_counts))
    runs.push_back({config_name(config), [config](const std::string& o, const AttrMap& a,
                                                  const std::vector<Tensor>& in) {
                      return run_fast_config(o, a, in, config);
                    }});
  return runs;
}

Agreement run_on_all(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                     const std::vector<NamedRun>& runs) {
  if (runs.empty()) throw_logic("op_internal", str("run_on_all(", op, "): no runs to compare"));
  // Only one outcome per class is kept: the runs may produce large outputs.
  std::vector<OutcomeClass> classes;
  for (const NamedRun& r : runs) {
    Outcome got = r.run(op, attrs, inputs);
    OutcomeClass* same = nullptr;
    for (OutcomeClass& c : classes)
      if (compare_outcomes(c.outcome, got).empty()) {
        same = &c;
        break;
      }
    if (same)
      same->runs.push_back(r.name);
    else
      classes.push_back({std::move(got), {r.name}});
  }
  if (classes.size() == 1) return {std::move(classes.front().outcome), ""};
  Agreement a{classes.front().outcome, ""};
  a.report = str(describe_case(op, attrs, inputs), "; ", classes.size(), " classes of runs that agree: ",
                 joined(classes.front().runs));
  for (size_t k = 1; k < classes.size(); ++k)
    a.report +=
        str(" | ", joined(classes[k].runs), ": ", compare_outcomes(classes.front().outcome, classes[k].outcome));
  a.report += dump_inputs(inputs);
  return a;
}

std::string fast_vs_reference(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                              const std::vector<int>& thread_counts) {
  return run_on_all(op, attrs, inputs, reference_and_fast_runs(op, thread_counts)).report;
}

}  // namespace cvm::gen
