// Self-tests of the op-case generators (oracle/gen/op_cases.h): validity,
// coverage of every attribute, rank and precision corner, the live bounds
// cross-check on the reference, request.input0 chaining, and termination on
// fuzzer bytes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/errors.h"
#include "cvm/op.h"
#include "cvm/validate.h"
#include "gen/chooser.h"
#include "gen/op_cases.h"
#include "support.h"

namespace cvm::gen {
namespace {

// Every attribute key of `op`: its page's attribute block, which the
// validator reads too (attr_schema_of).
std::set<std::string> attribute_keys(const std::string& op) {
  std::set<std::string> keys;
  for (const AttrSpec& f : attr_schema_of(op).fields) keys.insert(std::string(f.key));
  return keys;
}

// Allowed ranks of input 0.
std::set<size_t> allowed_ranks(const std::string& op) {
  if (op == "conv2d" || op == "max_pool2d" || op == "upsampling") return {4};
  if (op == "dense") return {2};
  if (op == "get_valid_counts" || op == "non_max_suppression") return {3};
  if (op == "expand_dims") return {1, 2, 3, 4, 5};
  return {1, 2, 3, 4, 5, 6};
}

// The largest precision input 0 can have.
int max_precision(const std::string& op) {
  if (op == "dense" || op == "conv2d") return 8;
  if (op == "elemwise_add" || op == "elemwise_sub" || op == "broadcast_add" || op == "broadcast_sub" ||
      op == "broadcast_mul" || op == "cvm_left_shift" || op == "sum")
    return 31;
  return 32;
}

// 300 seeds by default; CVM_GEN_SEEDS=N runs a longer live cross-check.
int seed_count() {
  const char* env = std::getenv("CVM_GEN_SEEDS");
  return env ? std::max(1, std::atoi(env)) : 300;
}

// The work of a case as request.max_work bounds it (0 where only sizes matter).
int64_t case_work(const GeneratedCase& g) {
  const int64_t out = shape_size(g.validated.outputs[0].shape);
  if (g.op == "dense") return out * g.inputs[0].shape[1];
  if (g.op == "conv2d") return out * shape_size(g.inputs[1].shape) / g.inputs[1].shape[0];
  if (g.op == "max_pool2d") {
    const std::vector<int64_t> k = *parse_tuple(g.attrs.at("pool_size"), INT64_MIN, INT64_MAX);
    return out * k[0] * k[1];
  }
  if (g.op == "non_max_suppression") return g.inputs[0].shape[0] * g.inputs[0].shape[1] * g.inputs[0].shape[1];
  return 0;
}

class gen_op : public ::testing::TestWithParam<std::string> {};

TEST_P(gen_op, ValidCasesCoverageAndLiveBounds) {
  const std::string op = GetParam();
  ASSERT_NE(find_op(op), nullptr) << op << " is not registered";
  const int kSeeds = seed_count();
  int found = 0;
  std::set<std::string> keys;
  std::set<size_t> ranks;
  std::set<int> precisions;
  std::map<std::string, std::set<std::string>> values;
  for (int seed = 0; seed < kSeeds; ++seed) {
    SeededChooser c(static_cast<uint64_t>(seed) * 7919 + 13);
    const std::optional<GeneratedCase> g = generate_case(op, c);
    if (!g) continue;
    ++found;
    for (const auto& [k, val] : g->attrs) {
      keys.insert(k);
      values[k].insert(val);
    }
    ranks.insert(g->inputs[0].shape.size());
    precisions.insert(g->inputs[0].precision);
    // Re-validation gives the same output types.
    ValidatedOp v;
    ASSERT_NO_THROW(v = validate_op(op, g->attrs, g->inputs)) << op << " seed " << seed;
    ASSERT_EQ(v.outputs, g->validated.outputs) << op << " seed " << seed;
    for (const TensorType& t : g->inputs) ASSERT_LE(shape_size(t.shape), CaseRequest{}.max_elements);
    for (const TensorType& t : v.outputs) ASSERT_LE(shape_size(t.shape), CaseRequest{}.max_elements);
    ASSERT_LE(case_work(*g), CaseRequest{}.max_work) << op << " seed " << seed;
    // Live bounds cross-check: the reference must not fire a Bounds assertion.
    for (bool extremes : {false, true}) {
      const std::vector<Tensor> inputs = input_values(c, *g, extremes);
      ASSERT_EQ(inputs.size(), g->inputs.size());
      for (size_t i = 0; i < inputs.size(); ++i) ASSERT_EQ(inputs[i].type(), g->inputs[i]);
      try {
        const OpRun run = run_reference(op, g->attrs, inputs);
        ASSERT_EQ(run.outputs.size(), v.outputs.size());
      } catch (const RuntimeError& e) {
        std::string attrs;
        for (const auto& [k, val] : g->attrs) attrs += k + "=" + val + " ";
        ADD_FAILURE() << "BOUNDS FINDING: " << op << " seed " << seed << " extremes " << extremes << ": "
                      << e.what() << " attrs: " << attrs;
      } catch (const LogicError& e) {
        ADD_FAILURE() << op << " seed " << seed << ": unexpected logic error " << e.what();
      }
    }
  }
  std::cout << "[ gen      ] " << op << ": " << found << "/" << kSeeds << " cases, ranks " << ranks.size()
            << ", precisions " << precisions.size() << ", attribute values";
  for (const auto& [k, vals] : values) std::cout << " " << k << ":" << vals.size();
  std::cout << "\n";
  EXPECT_GE(found, kSeeds * 9 / 10) << op << ": too few cases";
  EXPECT_EQ(keys, attribute_keys(op)) << op << ": attribute keys not all used";
  EXPECT_EQ(ranks, allowed_ranks(op)) << op << ": ranks of input 0";
  const int pmax = max_precision(op);
  for (int p : {1, 8, pmax}) EXPECT_TRUE(precisions.count(p)) << op << ": precision " << p << " never drawn";
  for (int p : precisions) EXPECT_LE(p, pmax) << op;
}

TEST_P(gen_op, BytesChooserTerminates) {
  const std::string op = GetParam();
  {
    BytesChooser c(std::span<const uint8_t>{});
    (void)generate_case(op, c);
  }
  for (int seed = 0; seed < 20; ++seed) {
    SeededChooser s(static_cast<uint64_t>(seed));
    std::vector<uint8_t> bytes(static_cast<size_t>(s.range(0, 200)));
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(s.range(0, 255));
    BytesChooser c(bytes);
    const std::optional<GeneratedCase> g = generate_case(op, c);
    if (g) {
      EXPECT_NO_THROW(validate_op(op, g->attrs, g->inputs));
      (void)input_values(c, *g);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(gen, gen_op, ::testing::ValuesIn(oracle::registered_op_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(gen_cases, Input0IsUsed) {
  struct Want {
    const char* op;
    TensorType type;
  };
  const std::vector<Want> wants{
      {"relu", {{3, 5, 2}, 17}},
      {"elemwise_add", {{7, 9}, 12}},
      {"conv2d", {{1, 4, 9, 8}, 8}},
      {"conv2d", {{2, 3, 5, 5}, 6}},
      {"dense", {{4, 16}, 8}},
      {"max_pool2d", {{1, 2, 8, 8}, 20}},
      {"broadcast_mul", {{2, 1, 3}, 10}},
      {"reshape", {{2, 3, 4}, 32}},
      {"take", {{5, 6}, 9}},
      {"concatenate", {{3, 4}, 5}},
  };
  for (const Want& w : wants) {
    for (int seed = 0; seed < 50; ++seed) {
      SeededChooser c(static_cast<uint64_t>(seed));
      CaseRequest req;
      req.input0 = w.type;
      const std::optional<GeneratedCase> g = generate_case(w.op, c, req);
      if (!g) continue;
      EXPECT_EQ(g->inputs[0], w.type) << w.op << " seed " << seed;
    }
    int found = 0;
    for (int seed = 0; seed < 50; ++seed) {
      SeededChooser c(static_cast<uint64_t>(seed));
      CaseRequest req;
      req.input0 = w.type;
      found += generate_case(w.op, c, req).has_value();
    }
    EXPECT_GE(found, 40) << w.op;
  }
}

TEST(gen_cases, LimitsRespected) {
  CaseRequest req;
  req.max_elements = 64;
  req.max_work = 512;
  for (const OpDef* d : all_ops()) {
    for (int seed = 0; seed < 30; ++seed) {
      SeededChooser c(static_cast<uint64_t>(seed));
      const std::optional<GeneratedCase> g = generate_case(d->name, c, req);
      if (!g) continue;
      for (const TensorType& t : g->inputs) EXPECT_LE(shape_size(t.shape), 64) << d->name;
      for (const TensorType& t : g->validated.outputs) EXPECT_LE(shape_size(t.shape), 64) << d->name;
      EXPECT_LE(case_work(*g), 512) << d->name;
    }
  }
}

TEST(gen_cases, HelpersInRange) {
  SeededChooser c(1);
  std::set<int> ps;
  for (int i = 0; i < 2000; ++i) {
    const int64_t d = random_dim(c, 33);
    EXPECT_GE(d, 1);
    EXPECT_LE(d, 33);
    const int p = random_precision(c, 3, 20);
    EXPECT_GE(p, 3);
    EXPECT_LE(p, 20);
    ps.insert(random_precision(c));
    const int rank = static_cast<int>(c.range(1, 6));
    const Shape s = random_shape(c, rank, 100);
    EXPECT_EQ(static_cast<int>(s.size()), rank);
    EXPECT_LE(shape_size(s), 100);
  }
  EXPECT_TRUE(ps.count(1) && ps.count(8) && ps.count(32));
}

}  // namespace
}  // namespace cvm::gen

namespace cvm::gen {
namespace {

// Prints a few cases per op (run with --gtest_also_run_disabled_tests).
TEST(gen_cases, DISABLED_PrintSamples) {
  for (const OpDef* d : all_ops()) {
    for (int seed = 0; seed < 4; ++seed) {
      SeededChooser c(static_cast<uint64_t>(seed));
      const std::optional<GeneratedCase> g = generate_case(d->name, c);
      if (!g) continue;
      std::cout << d->name << " {";
      for (const auto& [k, v] : g->attrs) std::cout << " " << k << "=" << v;
      std::cout << " }";
      for (const TensorType& t : g->inputs) std::cout << " " << shape_str(t.shape) << "p" << t.precision;
      std::cout << " ->";
      for (const TensorType& t : g->validated.outputs) std::cout << " " << shape_str(t.shape) << "p" << t.precision;
      std::cout << "\n";
    }
  }
}

}  // namespace
}  // namespace cvm::gen
