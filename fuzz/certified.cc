// Target certified: the per-model certificate is sound. A random valid model
// (fuzz/random_model_input.h; half of them with every value at +-R(p), 0 or
// +-1) whose nodes certify() proves, as `cvm prove` does, must run on the
// reference without any bound assertion (CVM_BOUND, a RuntimeError) firing,
// and its heads must post-process exactly when certify() found no reason why
// every inference fails (infer_c2). On that run every value of every node
// output must lie in its entry's value interval (include/cvm/intervals.h),
// which certify() reports per operator output.
#include "cvm/backend.h"
#include "cvm/certify.h"
#include "cvm/intervals.h"
#include "cvm/model.h"
#include "cvm/runtime.h"
#include "fuzz/guard.h"
#include "fuzz/random_model_input.h"
#include "fuzz/target.h"

namespace cvm::fuzz {

std::string fuzz_certified(Bytes input) {
  const gen::RandomModel m = decode_random_model(input);
  const std::string report = guarded("certified", [&]() -> std::string {
    const std::shared_ptr<const Model> model = Model::load(m.symbol, m.params);
    const Certificate c = certify(*model);
    if (!c.nodes_proved) return "";
    const ModelGraph& g = model->graph();
    const std::vector<EntryInterval> ranges = value_intervals(*model);
    // The certificate reports the same intervals.
    for (const NodeCertificate& n : c.nodes)
      for (size_t k = 0; k < n.intervals.size(); ++k)
        if (n.intervals[k] != ranges[static_cast<size_t>(g.nodes[n.node].first_entry) + k].range)
          return str("certified: ", g.describe(n.node), " output ", k, ": the certificate's interval differs");
    std::string outside;
    const NodeObserver observe = [&](size_t node, std::span<const Tensor> outputs) {
      for (size_t k = 0; k < outputs.size() && outside.empty(); ++k) {
        const int64_t e = g.nodes[node].first_entry + static_cast<int64_t>(k);
        const ValueInterval& r = ranges[static_cast<size_t>(e)].range;
        for (size_t i = 0; i < outputs[k].data.size(); ++i)
          if (!r.contains(outputs[k].data[i])) {
            outside = str("certified: ", g.describe(node), " output ", k, " value [", i, "] = ",
                          outputs[k].data[i], " lies outside its value interval [", r.lo, ", ", r.hi, "]");
            break;
          }
      }
    };
    const std::vector<Tensor> heads = Runtime(model, reference_backend()).run(m.input, &observe);
    if (!outside.empty()) return outside;
    // never_runs is decided by the head shapes alone: post-processing fails
    // exactly when certify said it would.
    try {
      (void)postprocess(*model, heads);
    } catch (const LogicError& e) {
      if (c.never_runs.empty()) return str("certified: a certified model fails post-processing: ", e.what());
      return "";
    }
    return c.never_runs.empty() ? "" : str("certified: post-processing succeeds, yet certify says ", c.never_runs);
  });
  return report.empty() ? "" : str(report, "\n  symbol: ", m.symbol);
}

}  // namespace cvm::fuzz
