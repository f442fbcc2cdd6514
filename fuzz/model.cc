// Target model: a whole model from untrusted bytes (fuzz/model_input.h).
// Load and validate it under a 64 MiB memory cap (model_c6); if it loads and
// its gas is within a budget, run it on the reference through the C API's
// byte path (input saturation, post-processing, output encoding). The caps
// keep the fuzzer from making cvm allocate or compute without bound, which
// is itself a property: nothing that passes load may need more than its plan.
// Properties: rejection only as a constraint (guard.h; or model_c6 at the cap); no
// bound assertion (a RuntimeError) ever fires on a model that loads; certify
// (`cvm prove`) gives a verdict for every loaded model; the output has the
// length the model declares.
#include "cvm/backend.h"
#include "cvm/certify.h"
#include "cvm/model.h"
#include "cvm/runtime.h"
#include "fuzz/guard.h"
#include "fuzz/model_input.h"
#include "fuzz/target.h"

namespace cvm::fuzz {
namespace {

constexpr int64_t kMemoryCap = int64_t{64} << 20;
// Gas counts elementary operations (spec/model/gas.rst); 2^21 keeps one run
// well under a second on the reference with sanitizers.
constexpr uint64_t kGasBudget = uint64_t{1} << 21;

// Exactly input_length() bytes: the fuzzer's bytes repeated (or zeros).
std::string input_bytes(const Model& model, std::string_view given) {
  std::string bytes(model.input_length(), '\0');
  if (!given.empty())
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = given[i % given.size()];
  return bytes;
}

}  // namespace

std::string fuzz_model(Bytes input) {
  const ModelInput parts = split_model_input(as_text(input));
  return guarded("model", [&]() -> std::string {
    LoadOptions options;
    options.memory_cap_bytes = kMemoryCap;
    const std::shared_ptr<const Model> model = Model::load(parts.symbol, parts.params, options);
    // Every loaded model can be certified (a verdict, never an exception).
    (void)certify(*model);
    if (model->gas() > kGasBudget) return "";
    Runtime runtime(model, reference_backend());
    const std::string out = runtime.infer_bytes(input_bytes(*model, parts.input));
    if (out.size() != model->output_length())
      return str("model: ", out.size(), " output bytes, expected ", model->output_length());
    return "";
  }, {"model_c6"});
}

}  // namespace cvm::fuzz
