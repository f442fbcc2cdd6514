// The live cross-check of the proofs (issue: Z3 proofs, item 5): random valid
// models, with data and parameters at the precision extremes, run on the
// reference backend, whose kernels assert every Bounds label (CVM_BOUND ->
// RuntimeError). The precision rules are proved sound (proofs/), so no
// bound may fire on any model the validator accepts.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/model.h"
#include "cvm/op.h"
#include "cvm/runtime.h"
#include "gen/chooser.h"
#include "gen/random_model.h"

namespace cvm::oracle {
namespace {

// Seeds run in CI; every op must occur in some model.
constexpr uint64_t kModels = 2000;

TEST(model_random, no_bound_fires_on_random_models_at_precision_extremes) {
  std::map<std::string, int> op_count;
  int nodes = 0;
  for (uint64_t seed = 0; seed < kModels; ++seed) {
    gen::SeededChooser c(seed);
    gen::RandomModelOptions o;
    o.extremes_only = seed % 4 != 3;  // mostly the worst cases, sometimes mixed values
    const gen::RandomModel m = gen::random_model(c, o);
    std::shared_ptr<const Model> model;
    try {
      model = Model::load(m.symbol, m.params);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "seed " << seed << ": the generated model does not load: " << e.what();
      continue;
    }
    Runtime runtime(model, reference_backend());
    try {
      runtime.run(m.input);
    } catch (const RuntimeError& e) {
      ADD_FAILURE() << "seed " << seed << ": a bound fired: " << e.label() << ": " << e.what()
                    << "\n  symbol: " << m.symbol;
    }
    for (const std::string& op : m.ops) ++op_count[op];
    nodes += static_cast<int>(m.ops.size());
  }
  for (const OpDef* op : all_ops())
    EXPECT_GT(op_count[std::string(op->name)], 0) << op->name << " never occurred in a random model";
  EXPECT_GT(nodes, static_cast<int>(kModels) * 3) << "models are too small to chain ops";
}

// Failures must be reproducible from the seed they name.
TEST(model_random, the_generator_is_deterministic_per_seed) {
  gen::SeededChooser a(7), b(7), d(8);
  const gen::RandomModel ma = gen::random_model(a), mb = gen::random_model(b), md = gen::random_model(d);
  EXPECT_EQ(ma.symbol, mb.symbol);
  EXPECT_EQ(ma.params, mb.params);
  EXPECT_EQ(ma.input, mb.input);
  EXPECT_NE(ma.symbol + ma.params, md.symbol + md.params);
}

}  // namespace
}  // namespace cvm::oracle
