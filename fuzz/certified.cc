// Target certified: the per-model certificate is sound. A random valid model
// (fuzz/random_model_input.h; half of them with every value at +-R(p), 0 or
// +-1) that certify() accepts, as `cvm prove` does, must run on the
// reference without any bound assertion (CVM_BOUND, a RuntimeError) firing.
#include "cvm/backend.h"
#include "cvm/certify.h"
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
    if (!certify(*model).certified) return "";
    (void)Runtime(model, reference_backend()).run(m.input);
    return "";
  });
  return report.empty() ? "" : str(report, "\n  symbol: ", m.symbol);
}

}  // namespace cvm::fuzz
