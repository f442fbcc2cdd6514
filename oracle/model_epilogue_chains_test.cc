// Epilogue chains (runtime/epilogue_chains.h): which conv2d/dense nodes the
// fast and CUDA backends fuse with the elementwise nodes after them, and
// where the CUDA backend may store a fused chain's output. Expected chains
// and slots are worked out by hand from the graph and the memory plan's
// rules (spec/model/load.rst); every premise about the plan is asserted
// too, so a change of the planner shows up here as such.
#include <gtest/gtest.h>

#include <climits>
#include <string>
#include <vector>

#include "cvm/graph_builder.h"
#include "cvm/model.h"
#include "cvm/plan.h"
#include "model_support.h"
#include "runtime/epilogue_chains.h"

namespace cvm::oracle {
namespace {

const AttrMap kConv1x1{{"channels", "2"}, {"kernel_size", "(1, 1)"}, {"use_bias", "false"}};
const AttrMap kShift{{"precision", "8"}, {"shift_bit", "3"}};

ModelGraph graph_of(const GraphBuilder& b) { return load_graph(write_graph_json(b.graph())); }

/// Entry id of node `name`'s first output.
size_t entry_of(const ModelGraph& g, const std::string& name) {
  for (const ModelNode& n : g.nodes)
    if (n.name == name) return static_cast<size_t>(n.first_entry);
  ADD_FAILURE() << "no node " << name;
  return 0;
}
size_t node_of(const ModelGraph& g, const std::string& name) {
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].name == name) return i;
  ADD_FAILURE() << "no node " << name;
  return 0;
}

TEST(model_epilogue_chains, follow_single_readers_through_fusable_ops) {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {1, 2, 3, 3}, 8);
  const EntryRef w = b.variable("w", {2, 2, 1, 1}, 8);
  const EntryRef c = b.op1("conv2d", "c", {x, w}, kConv1x1);
  const EntryRef s = b.op1("cvm_right_shift", "s", {c}, kShift);
  const EntryRef r = b.op1("relu", "r", {s});
  const EntryRef k = b.op1("clip", "k", {r}, {{"a_min", "-5"}, {"a_max", "7"}});
  const EntryRef q = b.op1("cvm_clip", "q", {k}, {{"precision", "4"}});
  // q has two readers: the chain ends there.
  b.head(b.op1("elemwise_add", "add", {q, q}));
  b.head(b.op1("negative", "neg", {q}));
  const ModelGraph g = graph_of(b);
  const std::vector<EpilogueChain> chains = find_epilogue_chains(g);
  ASSERT_EQ(chains.size(), 1u);
  const EpilogueChain& ch = chains[0];
  EXPECT_EQ(ch.first, node_of(g, "c"));
  EXPECT_EQ(ch.last, node_of(g, "q"));
  EXPECT_EQ(ch.members, (std::vector<size_t>{node_of(g, "s"), node_of(g, "r"), node_of(g, "k"), node_of(g, "q")}));
  ASSERT_EQ(ch.epilogue.count, 4);
  const EpilogueStep& shift = ch.epilogue.steps[0];
  EXPECT_EQ(shift.kind, EpilogueStep::Kind::kRightShift);
  EXPECT_EQ(shift.shift_bit, 3);
  EXPECT_EQ(shift.lo, -127);
  EXPECT_EQ(shift.hi, 127);
  EXPECT_EQ(ch.epilogue.steps[1].kind, EpilogueStep::Kind::kClip);
  EXPECT_EQ(ch.epilogue.steps[1].lo, 0);
  EXPECT_EQ(ch.epilogue.steps[1].hi, INT32_MAX);
  EXPECT_EQ(ch.epilogue.steps[2].lo, -5);
  EXPECT_EQ(ch.epilogue.steps[2].hi, 7);
  EXPECT_EQ(ch.epilogue.steps[3].lo, -7);
  EXPECT_EQ(ch.epilogue.steps[3].hi, 7);
  // 100 -> shift: ((100 >> 2) + 1) >> 1 = 13 -> relu 13 -> clip 7 -> cvm_clip 7.
  EXPECT_EQ(ch.epilogue.apply(100), 7);
  EXPECT_EQ(ch.epilogue.apply(-100), 0);
}

TEST(model_epilogue_chains, never_fuse_a_head_or_a_shared_value_away) {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {2, 4}, 8);
  const EntryRef w = b.variable("w", {3, 4}, 8);
  // dense -> s (a head) -> relu: s may end a chain but not be inside one.
  const EntryRef d = b.op1("dense", "d", {x, w}, {{"units", "3"}, {"use_bias", "false"}});
  const EntryRef s = b.op1("cvm_right_shift", "s", {d}, kShift);
  b.head(s);
  b.head(b.op1("relu", "r", {s}));
  // dense2's output is read twice: no chain at all.
  const EntryRef d2 = b.op1("dense", "d2", {x, w}, {{"units", "3"}, {"use_bias", "false"}});
  b.head(b.op1("relu", "r2", {d2}));
  b.head(b.op1("negative", "n2", {d2}));
  // dense3 -> negative: not a fusable op.
  const EntryRef d3 = b.op1("dense", "d3", {x, w}, {{"units", "3"}, {"use_bias", "false"}});
  b.head(b.op1("negative", "n3", {d3}));
  const ModelGraph g = graph_of(b);
  const std::vector<EpilogueChain> chains = find_epilogue_chains(g);
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(chains[0].first, node_of(g, "d"));
  EXPECT_EQ(chains[0].last, node_of(g, "s"));
  EXPECT_EQ(chains[0].epilogue.count, 1);
}

TEST(model_epilogue_chains, stop_at_the_step_limit) {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {2, 4}, 8);
  const EntryRef w = b.variable("w", {3, 4}, 8);
  EntryRef v = b.op1("dense", "d", {x, w}, {{"units", "3"}, {"use_bias", "false"}});
  std::vector<std::string> relus;
  for (int i = 0; i < Epilogue::kMaxSteps + 2; ++i) {
    relus.push_back("r" + std::to_string(i));
    v = b.op1("relu", relus.back(), {v});
  }
  b.head(v);
  const ModelGraph g = graph_of(b);
  const std::vector<EpilogueChain> chains = find_epilogue_chains(g);
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(chains[0].epilogue.count, Epilogue::kMaxSteps);
  EXPECT_EQ(chains[0].members.size(), static_cast<size_t>(Epilogue::kMaxSteps));
  EXPECT_EQ(chains[0].last, node_of(g, relus[Epilogue::kMaxSteps - 1]));
}

// A ResNet shortcut: r = relu(data) is the block's input; conv c -> shift s
// -> add (s + r) -> relu q -> shift t. With residual adds (the fast
// backend's option) the chain runs through the add; without (the CUDA
// backend's), it stops before it.
TEST(model_epilogue_chains, residual_adds_join_a_conv_chain_only_when_asked) {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {1, 2, 3, 3}, 8);
  const EntryRef w = b.variable("w", {2, 2, 1, 1}, 8);
  const EntryRef r = b.op1("relu", "r", {x});
  const EntryRef c = b.op1("conv2d", "c", {r, w}, kConv1x1);
  const EntryRef s = b.op1("cvm_right_shift", "s", {c}, kShift);
  const EntryRef add = b.op1("elemwise_add", "add", {r, s});  // the chain's value second
  const EntryRef q = b.op1("relu", "q", {add});
  b.head(b.op1("cvm_right_shift", "t", {q}, kShift));
  const ModelGraph g = graph_of(b);

  const std::vector<EpilogueChain> without = find_epilogue_chains(g);
  ASSERT_EQ(without.size(), 1u);
  EXPECT_EQ(without[0].last, node_of(g, "s"));
  EXPECT_EQ(without[0].residual, -1);
  EXPECT_FALSE(without[0].epilogue.has_residual());

  const std::vector<EpilogueChain> with = find_epilogue_chains(g, {.residual_adds = true});
  ASSERT_EQ(with.size(), 1u);
  const EpilogueChain& ch = with[0];
  EXPECT_EQ(ch.first, node_of(g, "c"));
  EXPECT_EQ(ch.last, node_of(g, "t"));
  EXPECT_EQ(ch.members, (std::vector<size_t>{node_of(g, "s"), node_of(g, "add"), node_of(g, "q"), node_of(g, "t")}));
  EXPECT_EQ(ch.residual, static_cast<int64_t>(entry_of(g, "r")));
  ASSERT_EQ(ch.epilogue.count, 3);  // s, q, t; the add is no step
  EXPECT_EQ(ch.epilogue.residual_at, 1);
  // 100 -> s: ((100 >> 2) + 1) >> 1 = 13 -> + residual 5 = 18 -> relu 18 -> t: 2.
  EXPECT_EQ(ch.epilogue.apply(100, 5), 2);
  // -100 -> s: -12 -> + 5 = -7 -> relu 0 -> t: 0.
  EXPECT_EQ(ch.epilogue.apply(-100, 5), 0);
}

TEST(model_epilogue_chains, a_residual_must_exist_when_the_chain_runs) {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {1, 2, 3, 3}, 8);
  const EntryRef w = b.variable("w", {2, 2, 1, 1}, 8);
  const EntryRef c = b.op1("conv2d", "c", {x, w}, kConv1x1);
  const EntryRef s = b.op1("cvm_right_shift", "s", {c}, kShift);
  // n is computed after c: the chain (run at c) cannot read it.
  const EntryRef n = b.op1("negative", "n", {x});
  b.head(b.op1("elemwise_add", "add", {s, n}));
  // A dense chain never takes an add.
  const EntryRef x2 = b.variable("x2", {2, 4}, 8);
  const EntryRef w2 = b.variable("w2", {3, 4}, 8);
  const EntryRef d = b.op1("dense", "d", {x2, w2}, {{"units", "3"}, {"use_bias", "false"}});
  const EntryRef ds = b.op1("cvm_right_shift", "ds", {d}, kShift);
  const EntryRef r2 = b.variable("r2", {2, 3}, 8);
  b.head(b.op1("elemwise_add", "add2", {ds, r2}));
  const ModelGraph g = graph_of(b);
  const std::vector<EpilogueChain> chains = find_epilogue_chains(g, {.residual_adds = true});
  ASSERT_EQ(chains.size(), 2u);
  EXPECT_EQ(chains[0].last, node_of(g, "s"));
  EXPECT_EQ(chains[0].residual, -1);
  EXPECT_EQ(chains[1].last, node_of(g, "ds"));
  EXPECT_EQ(chains[1].residual, -1);
}

// data -> relu a -> conv2d c -> cvm_right_shift s [-> clip k]: the plan puts
// a in slot 0 and c in slot 1; a is freed after c, so s takes slot 0 (the
// best fit among equal sizes is the first) and, when present, k takes c's
// slot 1, freed after s.
GraphBuilder conv_after_relu(bool with_clip) {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {1, 2, 4, 4}, 8);
  const EntryRef w = b.variable("w", {2, 2, 1, 1}, 8);
  const EntryRef a = b.op1("relu", "a", {x});
  const EntryRef c = b.op1("conv2d", "c", {a, w}, kConv1x1);
  EntryRef out = b.op1("cvm_right_shift", "s", {c}, kShift);
  if (with_clip) out = b.op1("clip", "k", {out}, {{"a_min", "-3"}, {"a_max", "3"}});
  b.head(out);
  return b;
}

TEST(model_epilogue_chains, an_output_whose_slot_is_still_in_use_moves_out) {
  // Chain c -> s: s shares slot 0 with a, which c (the chain's first node,
  // where the fused output is written) still reads.
  const ModelGraph g = graph_of(conv_after_relu(false));
  const MemoryPlan plan = plan_memory(g);
  ASSERT_EQ(plan.slot_of_entry[entry_of(g, "s")], plan.slot_of_entry[entry_of(g, "a")]);
  const std::vector<EpilogueChain> chains = find_epilogue_chains(g);
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(chain_outputs_keep_slots(g, plan, chains), std::vector<bool>{false});
}

TEST(model_epilogue_chains, an_output_sharing_only_with_fused_values_keeps_its_slot) {
  // Chain c -> s -> k: k shares slot 1 with c, which is never stored.
  const ModelGraph g = graph_of(conv_after_relu(true));
  const MemoryPlan plan = plan_memory(g);
  ASSERT_EQ(plan.slot_of_entry[entry_of(g, "k")], plan.slot_of_entry[entry_of(g, "c")]);
  ASSERT_NE(plan.slot_of_entry[entry_of(g, "k")], plan.slot_of_entry[entry_of(g, "a")]);
  const std::vector<EpilogueChain> chains = find_epilogue_chains(g);
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(chain_outputs_keep_slots(g, plan, chains), std::vector<bool>{true});
}

TEST(model_epilogue_chains, kept_outputs_count_as_live_from_their_first_node) {
  // Node order cA, cB, sB = shift(cB), n = negative(sB), sA = shift(cA).
  // The plan: cA slot 0, cB slot 1, sB slot 2 (cB freed), n slot 1 (sB
  // freed), sA slot 2. sA and sB do not overlap as nodes, but fused, sA is
  // written when cA runs, before sB is read: chain A (first) keeps slot 2,
  // so chain B's output must move out.
  GraphBuilder b;
  const EntryRef x = b.variable("data", {1, 2, 4, 4}, 8);
  const EntryRef w = b.variable("w", {2, 2, 1, 1}, 8);
  const EntryRef ca = b.op1("conv2d", "cA", {x, w}, kConv1x1);
  const EntryRef cb = b.op1("conv2d", "cB", {x, w}, kConv1x1);
  const EntryRef sb = b.op1("cvm_right_shift", "sB", {cb}, kShift);
  b.head(b.op1("negative", "n", {sb}));
  b.head(b.op1("cvm_right_shift", "sA", {ca}, kShift));
  const ModelGraph g = graph_of(b);
  const MemoryPlan plan = plan_memory(g);
  ASSERT_EQ(plan.slot_of_entry[entry_of(g, "sA")], plan.slot_of_entry[entry_of(g, "sB")]);
  const std::vector<EpilogueChain> chains = find_epilogue_chains(g);
  ASSERT_EQ(chains.size(), 2u);
  EXPECT_EQ(chains[0].first, node_of(g, "cA"));
  EXPECT_EQ(chains[1].first, node_of(g, "cB"));
  EXPECT_EQ(chain_outputs_keep_slots(g, plan, chains), (std::vector<bool>{true, false}));
}

}  // namespace
}  // namespace cvm::oracle
