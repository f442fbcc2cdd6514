// The whole-model property: random valid models (oracle/gen/random_model)
// give the same heads on the fast backend (1, 2 and 7 threads; fused and,
// with an observer, unfused) as on the reference.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include "cvm/backend.h"
#include "cvm/model.h"
#include "cvm/runtime.h"
#include "gen/differential.h"
#include "gen/random_model.h"
#include "gen/rc_chooser.h"
#include "support.h"

namespace cvm::oracle {
namespace {

// "" when the heads are equal, else the first difference.
std::string compare_heads(const std::vector<Tensor>& want, const std::vector<Tensor>& got) {
  return gen::compare_outcomes({want, ""}, {got, ""});
}

TEST(property_models, fast_equals_reference_on_random_models) {
  std::vector<std::unique_ptr<Backend>> fast;
  for (int threads : {1, 2, 7}) fast.push_back(make_fast_backend(threads));
  const bool ok = rc::check("fast == reference on random models", [&] {
    const gen::RandomModel m = gen::rc_random_model();
    const auto model = Model::load(m.symbol, m.params);
    const std::vector<Tensor> want = Runtime(model, reference_backend()).run(m.input);
    for (const auto& backend : fast) {
      Runtime runtime(model, *backend);
      const std::string fused = compare_heads(want, runtime.run(m.input));
      if (!fused.empty()) RC_FAIL(str(fused, "\n  symbol: ", m.symbol));
      // An observer sees every node, so nothing is fused.
      const NodeObserver observe = [](size_t, std::span<const Tensor>) {};
      const std::string unfused = compare_heads(want, runtime.run(m.input, &observe));
      if (!unfused.empty()) RC_FAIL(str("(unfused) ", unfused, "\n  symbol: ", m.symbol));
    }
  });
  EXPECT_TRUE(ok) << "see the RapidCheck report above for the smallest failing model";
}

}  // namespace
}  // namespace cvm::oracle
