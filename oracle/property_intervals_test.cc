// Per-model value intervals (include/cvm/intervals.h, docs/proofs.rst
// "Per-model value intervals") against live runs: on random valid models
// (oracle/gen/random_model) and random or extreme inputs, every value of every
// node output the reference backend produces lies in its entry's interval.
// Plus hand-computed intervals on a tiny model.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include "cvm/backend.h"
#include "cvm/certify.h"
#include "cvm/graph_builder.h"
#include "cvm/intervals.h"
#include "cvm/intmath.h"
#include "cvm/model.h"
#include "cvm/params.h"
#include "cvm/runtime.h"
#include "gen/random_model.h"
#include "gen/rc_chooser.h"
#include "support.h"

namespace cvm {
// "[lo, hi]" in gtest's failure messages.
void PrintTo(const ValueInterval& v, std::ostream* os) { *os << "[" << v.lo << ", " << v.hi << "]"; }
}  // namespace cvm

namespace cvm::oracle {
namespace {

// "" when every value of every operator output (and the input and params)
// lies in its interval, else the first value that does not.
std::string check_run(const Model& model, const std::vector<EntryInterval>& iv, const Tensor& input) {
  const ModelGraph& g = model.graph();
  std::string bad;
  auto check = [&](size_t node, int64_t entry, const Tensor& t) {
    const ValueInterval& r = iv[static_cast<size_t>(entry)].range;
    for (int64_t i = 0; i < t.size() && bad.empty(); ++i) {
      const int32_t v = t.data[static_cast<size_t>(i)];
      if (!r.contains(v))
        bad = str(g.describe(node), " entry ", entry, " value [", i, "] = ", v, " outside [", r.lo, ", ",
                  r.hi, "]");
    }
  };
  for (size_t v = 0; v < g.nodes.size(); ++v) {
    if (!g.nodes[v].is_variable()) continue;
    if (static_cast<int64_t>(v) == g.data_node)
      check(v, g.nodes[v].first_entry, input);
    else
      check(v, g.nodes[v].first_entry, model.variable_values()[v]);
  }
  const NodeObserver observe = [&](size_t node, std::span<const Tensor> outputs) {
    for (size_t k = 0; k < outputs.size(); ++k)
      check(node, g.nodes[node].first_entry + static_cast<int64_t>(k), outputs[k]);
  };
  (void)Runtime(std::shared_ptr<const Model>(&model, [](const Model*) {}), reference_backend())
      .run(input, &observe);
  return bad;
}

TEST(property_intervals, every_value_lies_in_its_interval) {
  const bool ok = rc::check("live values lie in the value intervals", [] {
    const gen::RandomModel m = gen::rc_random_model();
    const auto model = Model::load(m.symbol, m.params);
    const std::vector<EntryInterval> iv = value_intervals(*model);
    RC_ASSERT(iv.size() == model->graph().entries.size());
    // The drawn input, then every value at +R(p), at -R(p), and alternating.
    std::vector<Tensor> inputs{m.input};
    const int64_t r = prec_max(m.input.precision);
    for (int pattern = 0; pattern < 3; ++pattern) {
      Tensor t = m.input;
      for (size_t i = 0; i < t.data.size(); ++i) {
        const bool plus = pattern == 0 || (pattern == 2 && i % 2 == 0);
        t.data[i] = static_cast<int32_t>(plus ? r : -r);
      }
      inputs.push_back(std::move(t));
    }
    for (const Tensor& input : inputs) {
      const std::string bad = check_run(*model, iv, input);
      if (!bad.empty()) RC_FAIL(str(bad, "\n  symbol: ", m.symbol));
    }
  });
  EXPECT_TRUE(ok) << "see the RapidCheck report above for the smallest failing model";
}

// data (1, 3) at precision 8, dense with w = [[1, -2, 3], [0, 4, -1]] and
// b = [5, -7], then relu and cvm_right_shift by 4 to precision 8.
std::shared_ptr<const Model> tiny_dense_model() {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1, 3}, 8);
  const EntryRef w = b.variable("w", {2, 3}, 8);
  const EntryRef bias = b.variable("b", {2}, 8);
  const EntryRef y = b.op1("dense", "fc", {d, w, bias}, {{"units", "2"}, {"use_bias", "true"}});
  const EntryRef r = b.op1("relu", "r", {y});
  b.head(b.op1("cvm_right_shift", "s", {r}, {{"precision", "8"}, {"shift_bit", "4"}}));
  return Model::load(write_graph_json(b.graph()),
                     write_params({{"w", 8, {2, 3}, {1, -2, 3, 0, 4, -1}}, {"b", 8, {2}, {5, -7}}}));
}

TEST(intervals, dense_with_known_weights_gives_the_hand_computed_interval) {
  const auto model = tiny_dense_model();
  const std::vector<EntryInterval> iv = value_intervals(*model);
  ASSERT_EQ(iv.size(), 6u);  // data, w, b, fc, r, s
  EXPECT_EQ(iv[0].range, (ValueInterval{-127, 127}));  // the input: +-R(8)
  EXPECT_EQ(iv[1].range, (ValueInterval{-2, 4}));      // w's least and greatest value
  EXPECT_EQ(iv[2].range, (ValueInterval{-7, 5}));
  // Channel 0: 127 * (1 + 2 + 3) = 762, so [-762 + 5, 762 + 5] = [-757, 767];
  // channel 1: 127 * (0 + 4 + 1) = 635, so [-635 - 7, 635 - 7] = [-642, 628].
  EXPECT_EQ(iv[3].range, (ValueInterval{-757, 767}));
  EXPECT_FALSE(iv[3].fallback);
  EXPECT_EQ(iv[4].range, (ValueInterval{0, 767}));  // relu
  // cvm_right_shift by 4: ((767 >> 3) + 1) >> 1 = 48; ((0 >> 3) + 1) >> 1 = 0.
  EXPECT_EQ(iv[5].range, (ValueInterval{0, 48}));
  // The certificate carries them per operator output, with the headroom:
  // 767 needs precision 11 (R(11) = 1023).
  const Certificate c = certify(*model);
  ASSERT_EQ(c.nodes.size(), 3u);
  const int p_fc = model->graph().entries[3].precision;
  EXPECT_EQ(c.nodes[0].intervals, (std::vector<ValueInterval>{{-757, 767}}));
  EXPECT_EQ(c.nodes[0].headroom_bits, (std::vector<int>{p_fc - 11}));
  EXPECT_EQ(c.nodes[2].headroom_bits, (std::vector<int>{8 - 7}));  // 48 needs precision 7
  // The bounds are reached: x = (127, -127, 127) gives 5 + 127 * 6 = 767.
  const auto heads = Runtime(model, reference_backend()).run(Tensor{{1, 3}, 8, {127, -127, 127}});
  EXPECT_EQ(heads[0].data, (std::vector<int32_t>{48, 0}));
}

TEST(intervals, conv2d_padding_adds_zero_and_fallbacks_use_the_precision) {
  // x = cvm_clip(relu(data), 6) + 1 lies in [1, 32]; conv2d with the one
  // weight 2 and padding 1 reads zeros on the border, so its output is
  // [0, 64], not [2, 64].
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1, 1, 2, 2}, 8);
  const EntryRef r = b.op1("cvm_clip", "c", {b.op1("relu", "r", {d})}, {{"precision", "6"}});
  const EntryRef x = b.op1("elemwise_add", "a", {r, b.variable("one", {1, 1, 2, 2}, 6)});
  const EntryRef w = b.variable("w", {1, 1, 1, 1}, 8);
  const EntryRef y = b.op1("conv2d", "conv", {x, w},
                           {{"channels", "1"}, {"kernel_size", "(1, 1)"}, {"padding", "(1, 1)"},
                            {"use_bias", "false"}});
  b.head(b.op1("broadcast_div", "div", {y, w}));
  const auto model = Model::load(write_graph_json(b.graph()),
                                 write_params({{"one", 8, {1, 1, 2, 2}, {1, 1, 1, 1}}, {"w", 8, {1, 1, 1, 1}, {2}}}));
  const std::vector<EntryInterval> iv = value_intervals(*model);
  const ModelGraph& g = model->graph();
  // entries: data, r, c, one, a, w, conv, div
  ASSERT_EQ(iv.size(), 8u);
  EXPECT_EQ(iv[2].range, (ValueInterval{0, 31}));
  EXPECT_EQ(iv[4].range, (ValueInterval{1, 32}));
  // x in [1, 32] widened by the padding's zeros to [0, 32], times 2.
  EXPECT_EQ(iv[6].range, (ValueInterval{0, 64}));
  // broadcast_div has no rule: its precision range.
  EXPECT_TRUE(iv[7].fallback);
  EXPECT_EQ(iv[7].range, (ValueInterval{-prec_max(g.entries[7].precision), prec_max(g.entries[7].precision)}));
  // The padded border really gives 0.
  bool saw_zero = false;
  const NodeObserver observe = [&](size_t node, std::span<const Tensor> outs) {
    if (g.nodes[node].name == "conv")
      for (int32_t v : outs[0].data) saw_zero = saw_zero || v == 0;
  };
  (void)Runtime(model, reference_backend()).run(Tensor{{1, 1, 2, 2}, 8, {127, 127, 127, 127}}, &observe);
  EXPECT_TRUE(saw_zero);
}

TEST(intervals, cvm_lut_takes_the_reachable_table_entries) {
  // relu(data) in [0, 127] indexes a 6-entry table: clip(x, 0, 5) reaches
  // every index, so y lies in [min, max] of the table = [-9, 40]; with
  // data = cvm_clip(relu) to precision 2 (values 0 .. 1) only t[0], t[1]
  // are reachable: [3, 40].
  GraphBuilder b;
  const EntryRef d = b.variable("data", {4}, 8);
  const EntryRef r = b.op1("relu", "r", {d});
  const EntryRef t = b.variable("t", {6}, 8);
  b.head(b.op1("cvm_lut", "all", {r, t}, {{"in_dim", "6"}}));
  b.head(b.op1("cvm_lut", "two", {b.op1("cvm_clip", "c", {r}, {{"precision", "2"}}), t}, {{"in_dim", "6"}}));
  const auto model = Model::load(write_graph_json(b.graph()),
                                 write_params({{"t", 8, {6}, {3, 40, -9, 0, 7, 1}}}));
  const std::vector<EntryInterval> iv = value_intervals(*model);
  // entries: data, r, t, all, c, two
  ASSERT_EQ(iv.size(), 6u);
  EXPECT_EQ(iv[3].range, (ValueInterval{-9, 40}));
  EXPECT_FALSE(iv[3].fallback);
  EXPECT_EQ(iv[5].range, (ValueInterval{3, 40}));
}

TEST(intervals, headroom_bits_counts_unused_precision_bits) {
  EXPECT_EQ(headroom_bits({-127, 127}, 8), 0);
  EXPECT_EQ(headroom_bits({-63, 0}, 8), 1);
  EXPECT_EQ(headroom_bits({0, 64}, 8), 0);
  EXPECT_EQ(headroom_bits({0, 0}, 8), 7);
  EXPECT_EQ(headroom_bits({-1, 1}, 32), 30);
}

}  // namespace
}  // namespace cvm::oracle
