// Target model_diff: a random valid model decoded from bytes
// (fuzz/random_model_input.h), run on the reference and on the fast backend
// with 1, 2 and 3 threads, fused and (with an observer) unfused.
// Properties: the generated model loads; every run agrees with the
// reference: the same heads bit for bit, or the same rejection.
#include <memory>

#include "cvm/backend.h"
#include "cvm/model.h"
#include "cvm/runtime.h"
#include "fuzz/guard.h"
#include "fuzz/random_model_input.h"
#include "fuzz/target.h"
#include "gen/differential.h"

namespace cvm::fuzz {

std::string fuzz_model_diff(Bytes input) {
  static const std::vector<std::shared_ptr<const Backend>> fast{
      make_fast_backend(1), make_fast_backend(2), make_fast_backend(3)};
  const gen::RandomModel m = decode_random_model(input);
  std::shared_ptr<const Model> model;
  const std::string load = guarded("model_diff load", [&]() -> std::string {
    model = Model::load(m.symbol, m.params);
    return "";
  });
  if (!load.empty() || !model)
    return str("a generated model does not load", load.empty() ? "" : ": " + load,
               "\n  symbol: ", m.symbol);

  const gen::Outcome want = gen::capture([&] { return Runtime(model, reference_backend()).run(m.input); });
  if (!want.error.empty())
    return str("reference failed on a generated model: ", want.error, "\n  symbol: ", m.symbol);
  const NodeObserver observe = [](size_t, std::span<const Tensor>) {};
  for (size_t k = 0; k < fast.size(); ++k) {
    Runtime runtime(model, *fast[k]);
    for (bool fused : {true, false}) {
      const gen::Outcome got =
          gen::capture([&] { return runtime.run(m.input, fused ? nullptr : &observe); });
      const std::string diff = gen::compare_outcomes(want, got);
      if (!diff.empty())
        return str("fast (", k + 1, " threads, ", fused ? "fused" : "unfused", ") != reference: ",
                   diff, "\n  symbol: ", m.symbol);
    }
  }
  return "";
}

}  // namespace cvm::fuzz
