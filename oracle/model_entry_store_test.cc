// Buffers in steady state (runtime/entry_store.h): from the second inference
// on, no backend allocates an entry's buffer, whether the fast backend fuses
// epilogue chains (a chain's output is taken when its first node runs,
// earlier than the memory plan assumes), runs with an observer, or the
// reference runs; and a fused layout never gives one slot to two entries
// that are live at once. Structural (counters of EntryStore), not timings;
// bench/c_api_bench.cc has the timings and page faults.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cvm/backend.h"
#include "cvm/c_api.h"
#include "cvm/graph_builder.h"
#include "cvm/npy.h"
#include "cvm/params.h"
#include "cvm/plan.h"
#include "gen/random_model.h"
#include "gen/rc_chooser.h"
#include "make_examples.h"
#include "model_support.h"
#include "runtime/entry_store.h"
#include "runtime/epilogue_chains.h"

namespace cvm::oracle {
namespace {

const AttrMap kConv1x1{{"channels", "2"}, {"kernel_size", "(1, 1)"}, {"use_bias", "false"}};
const AttrMap kShift{{"precision", "8"}, {"shift_bit", "3"}};

struct TestModel {
  std::string name;
  std::shared_ptr<const Model> model;
  Tensor input;
};

// data -> relu a -> conv2d c -> cvm_right_shift s -> conv2d c2 ->
// cvm_right_shift s2 -> elemwise_add(s2, s) -> relu: two chains. The plan
// puts s in a's slot, which the fused chain c -> s (written when c runs,
// while a is still read) cannot use; s is read again by the add.
TestModel chains_and_residual() {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {1, 2, 4, 4}, 8);
  const EntryRef w = b.variable("w", {2, 2, 1, 1}, 8);
  const EntryRef a = b.op1("relu", "a", {x});
  const EntryRef c = b.op1("conv2d", "c", {a, w}, kConv1x1);
  const EntryRef s = b.op1("cvm_right_shift", "s", {c}, kShift);
  const EntryRef c2 = b.op1("conv2d", "c2", {s, w}, kConv1x1);
  const EntryRef s2 = b.op1("cvm_right_shift", "s2", {c2}, kShift);
  const EntryRef sum = b.op1("elemwise_add", "sum", {s2, s});
  b.head(b.op1("relu", "out", {sum}));
  TestModel t;
  t.name = "chains_and_residual";
  t.model = load(write_graph_json(b.graph()), write_params({{"w", 8, {2, 2, 1, 1}, {37, -90, 127, 5}}}));
  std::vector<int32_t> v(32);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int32_t>(i * 29 % 255) - 127;
  t.input = make_input(*t.model, {1, 2, 4, 4}, v);
  return t;
}

TestModel mnist_cnn() {
  const examples::ExampleModel m = examples::make_mnist_cnn();
  TestModel t;
  t.name = m.name;
  t.model = load(m.symbol, m.params);
  const NpyArray x = parse_npy(m.input_npy, "input");
  t.input = make_input(*t.model, x.shape, x.data);
  return t;
}

std::vector<TestModel> models() { return {chains_and_residual(), mnist_cnn()}; }

EntryStoreCounters operator-(const EntryStoreCounters& a, const EntryStoreCounters& b) {
  return {a.takes - b.takes, a.allocations - b.allocations, a.allocated_bytes - b.allocated_bytes,
          a.zeroed_bytes - b.zeroed_bytes};
}

// Runs `runtime` three times; expects the heads of every run to be
// `expected`, and runs 2 and 3 to take buffers without allocating any, and
// to zero-fill the same amount.
void expect_steady(Runtime& runtime, const TestModel& t, const std::vector<Tensor>& expected,
                   const NodeObserver* observer, const std::string& what) {
  std::vector<EntryStoreCounters> used;
  for (int run = 0; run < 3; ++run) {
    const EntryStoreCounters before = entry_store_counters();
    EXPECT_EQ(runtime.run(t.input, observer), expected) << what << " run " << run;
    used.push_back(entry_store_counters() - before);
  }
  EXPECT_GT(used[0].allocations, 0u) << what << ": the first run sizes the slots";
  for (int run = 1; run < 3; ++run) {
    const EntryStoreCounters& u = used[static_cast<size_t>(run)];
    EXPECT_GT(u.takes, 0u) << what;
    EXPECT_EQ(u.allocations, 0u) << what << " run " << run;
    EXPECT_EQ(u.allocated_bytes, 0u) << what << " run " << run;
    EXPECT_EQ(u.zeroed_bytes, used[1].zeroed_bytes) << what << " run " << run;
  }
}

TEST(model_entry_store, fused_fast_runs_allocate_nothing_after_the_first) {
  for (const TestModel& t : models()) {
    Runtime reference(t.model, reference_backend());
    const std::vector<Tensor> expected = reference.run(t.input);
    ASSERT_FALSE(find_epilogue_chains(t.model->graph()).empty()) << t.name;
    for (int threads : {1, 2}) {
      const std::unique_ptr<Backend> fast = make_fast_backend(threads);
      Runtime runtime(t.model, *fast);
      expect_steady(runtime, t, expected, nullptr, t.name + " fast, threads " + std::to_string(threads));
    }
  }
}

TEST(model_entry_store, observed_and_reference_runs_allocate_nothing_after_the_first) {
  for (const TestModel& t : models()) {
    Runtime reference(t.model, reference_backend());
    const std::vector<Tensor> expected = reference.run(t.input);
    int nodes_seen = 0;
    const NodeObserver observer = [&](size_t, std::span<const Tensor>) { ++nodes_seen; };
    Runtime fast(t.model, fast_backend());
    expect_steady(fast, t, expected, &observer, t.name + " fast with an observer");
    EXPECT_GT(nodes_seen, 0);
    // A fused run after observed ones uses its own store, steady as well.
    expect_steady(fast, t, expected, nullptr, t.name + " fast after observed runs");
    Runtime ref(t.model, reference_backend());
    expect_steady(ref, t, expected, nullptr, t.name + " reference");
  }
}

TEST(model_entry_store, c_api_inference_allocates_no_buffer_after_the_first) {
  const examples::ExampleModel m = examples::make_mnist_cnn();
  void* net = nullptr;
  ASSERT_EQ(CVMAPILoadModel(m.symbol.data(), static_cast<int>(m.symbol.size()), m.params.data(),
                            static_cast<int>(m.params.size()), &net, 0, 0),
            0);
  unsigned long long in_len = 0, out_len = 0;
  ASSERT_EQ(CVMAPIGetInputLength(net, &in_len), 0);
  ASSERT_EQ(CVMAPIGetOutputLength(net, &out_len), 0);
  std::string input(in_len, '\0');
  for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<char>(i * 37 % 251);
  std::vector<std::string> outputs;
  std::vector<EntryStoreCounters> used;
  for (int run = 0; run < 3; ++run) {
    std::string out(out_len, '\0');
    const EntryStoreCounters before = entry_store_counters();
    ASSERT_EQ(CVMAPIInference(net, input.data(), static_cast<int>(input.size()), out.data()), 0);
    used.push_back(entry_store_counters() - before);
    outputs.push_back(out);
  }
  CVMAPIFreeModel(net);
  EXPECT_EQ(outputs[1], outputs[0]);
  EXPECT_EQ(outputs[2], outputs[0]);
  for (int run = 1; run < 3; ++run) {
    EXPECT_GT(used[static_cast<size_t>(run)].takes, 0u);
    EXPECT_EQ(used[static_cast<size_t>(run)].allocations, 0u) << "run " << run;
  }
}

// When each entry is taken by the fast backend's fused schedule: a chain's
// output at its first node, values inside a chain never.
std::vector<int64_t> fused_schedule(const ModelGraph& g) {
  std::vector<int64_t> taken_at(g.entries.size(), -1);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!g.nodes[i].is_variable())
      for (int k = 0; k < g.nodes[i].num_outputs; ++k)
        taken_at[static_cast<size_t>(g.nodes[i].first_entry + k)] = static_cast<int64_t>(i);
  for (const EpilogueChain& c : find_epilogue_chains(g)) {
    taken_at[static_cast<size_t>(g.nodes[c.first].first_entry)] = -1;
    for (size_t m : c.members) taken_at[static_cast<size_t>(g.nodes[m].first_entry)] = -1;
    taken_at[static_cast<size_t>(g.nodes[c.last].first_entry)] = static_cast<int64_t>(c.first);
  }
  return taken_at;
}

// Every taken entry has a slot large enough, and two entries share a slot
// only when one is given back (plan.freed_after; heads never) before the
// other is taken.
void expect_disjoint(const ModelGraph& g, const MemoryPlan& plan, const std::vector<int64_t>& taken_at,
                     const SlotLayout& layout, const std::string& what) {
  std::vector<int64_t> end(g.entries.size(), INT64_MAX);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (int64_t e : plan.freed_after[i]) end[static_cast<size_t>(e)] = static_cast<int64_t>(i);
  for (size_t e = 0; e < g.entries.size(); ++e) {
    if (taken_at[e] < 0) {
      EXPECT_EQ(layout.slot_of_entry[e], -1) << what << " entry " << e;
      continue;
    }
    const int64_t slot = layout.slot_of_entry[e];
    ASSERT_GE(slot, 0) << what << " entry " << e;
    EXPECT_GE(layout.slot_elements[static_cast<size_t>(slot)], shape_size(g.entries[e].shape)) << what;
    for (size_t f = e + 1; f < g.entries.size(); ++f) {
      if (taken_at[f] < 0 || layout.slot_of_entry[f] != slot) continue;
      // Live over nodes [taken_at, end]; a buffer given back after node i
      // may be taken again at node i + 1.
      const bool apart = end[e] < taken_at[f] || end[f] < taken_at[e];
      EXPECT_TRUE(apart) << what << ": entries " << e << " and " << f << " share slot " << slot;
    }
  }
}

TEST(model_entry_store, the_producer_schedule_gives_the_memory_plan) {
  for (const TestModel& t : models()) {
    const ModelGraph& g = t.model->graph();
    std::vector<int64_t> taken_at(g.entries.size(), -1);
    for (size_t i = 0; i < g.nodes.size(); ++i)
      if (!g.nodes[i].is_variable())
        for (int k = 0; k < g.nodes[i].num_outputs; ++k)
          taken_at[static_cast<size_t>(g.nodes[i].first_entry + k)] = static_cast<int64_t>(i);
    const SlotLayout layout = plan_slots(g, t.model->plan(), taken_at, /*avoid_growth=*/false);
    EXPECT_EQ(layout.slot_of_entry, t.model->plan().slot_of_entry) << t.name;
    EXPECT_EQ(layout.slot_elements, t.model->plan().slot_elements) << t.name;
    EXPECT_EQ(EntryStore(t.model).layout().slot_of_entry, t.model->plan().slot_of_entry) << t.name;
  }
}

TEST(model_entry_store, fused_layouts_keep_live_entries_apart) {
  for (const TestModel& t : models()) {
    const ModelGraph& g = t.model->graph();
    const MemoryPlan& plan = t.model->plan();
    const std::vector<int64_t> taken_at = fused_schedule(g);
    const SlotLayout rule = plan_slots(g, plan, taken_at, /*avoid_growth=*/false);
    const SlotLayout layout = plan_slots(g, plan, taken_at, /*avoid_growth=*/true);
    expect_disjoint(g, plan, taken_at, rule, t.name + " (rule)");
    expect_disjoint(g, plan, taken_at, layout, t.name + " (avoid growth)");
    // Never more memory than the larger of the model's plan and the rule's
    // layout, and never more growth than the rule's.
    int64_t planned = 0;
    for (int64_t s : plan.slot_elements) planned += s;
    EXPECT_LE(layout.total_elements(), std::max(planned, rule.total_elements())) << t.name;
    EXPECT_LE(layout.growth_elements, rule.growth_elements) << t.name;
  }
  // The premise of chains_and_residual: with the plan's own slots, the chain
  // output s would share a slot with a, still live when c runs.
  const TestModel t = chains_and_residual();
  const ModelGraph& g = t.model->graph();
  const auto entry = [&](const std::string& name) {
    for (const ModelNode& n : g.nodes)
      if (n.name == name) return static_cast<size_t>(n.first_entry);
    ADD_FAILURE() << "no node " << name;
    return size_t{0};
  };
  ASSERT_EQ(t.model->plan().slot_of_entry[entry("s")], t.model->plan().slot_of_entry[entry("a")]);
  const SlotLayout layout = plan_slots(g, t.model->plan(), fused_schedule(g), true);
  EXPECT_NE(layout.slot_of_entry[entry("s")], layout.slot_of_entry[entry("a")]);
}

TEST(model_entry_store, random_models_are_steady_and_keep_live_entries_apart) {
  const std::unique_ptr<Backend> fast = make_fast_backend(2);
  const bool ok = rc::check("steady buffers on random models", [&] {
    const gen::RandomModel m = gen::rc_random_model();
    const auto model = Model::load(m.symbol, m.params);
    const ModelGraph& g = model->graph();
    const std::vector<int64_t> taken_at = fused_schedule(g);
    const SlotLayout layout = plan_slots(g, model->plan(), taken_at, /*avoid_growth=*/true);
    expect_disjoint(g, model->plan(), taken_at, layout, "random model");
    if (::testing::Test::HasFailure()) RC_FAIL(str("layout\n  symbol: ", m.symbol));
    const std::vector<Tensor> want = Runtime(model, reference_backend()).run(m.input);
    Runtime runtime(model, *fast);
    for (int run = 0; run < 3; ++run) {
      const EntryStoreCounters before = entry_store_counters();
      if (runtime.run(m.input) != want) RC_FAIL(str("run ", run, " differs\n  symbol: ", m.symbol));
      const EntryStoreCounters used = entry_store_counters() - before;
      if (run > 0 && used.allocations != 0)
        RC_FAIL(str("run ", run, " allocated ", used.allocations, " buffers\n  symbol: ", m.symbol));
    }
  });
  EXPECT_TRUE(ok) << "see the RapidCheck report above for the smallest failing model";
}

}  // namespace
}  // namespace cvm::oracle
