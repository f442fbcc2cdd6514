// The int8 hand-off between convolutions (runtime/int8_handoff.h): which
// values a fused fast run passes as bytes, worked out by hand from the
// rules, and whole models that hand values over giving the reference's
// heads at every ISA level and thread count.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "cvm/backend.h"
#include "cvm/graph_builder.h"
#include "cvm/model.h"
#include "cvm/params.h"
#include "cvm/runtime.h"
#include "fast/int8_handoff.h"
#include "fast/kernel.h"
#include "fast_support.h"
#include "model_support.h"
#include "runtime/epilogue_chains.h"
#include "runtime/int8_handoff.h"
#include "runtime/node_spec.h"
#include "support.h"

namespace cvm::oracle {
namespace {

const AttrMap kConv3x3{{"channels", "8"}, {"kernel_size", "(3, 3)"}, {"padding", "(1, 1)"}, {"use_bias", "false"}};
const AttrMap kShift8{{"precision", "8"}, {"shift_bit", "9"}};

size_t entry_named(const ModelGraph& g, const std::string& name) {
  for (const ModelNode& n : g.nodes)
    if (n.name == name) return static_cast<size_t>(n.first_entry);
  ADD_FAILURE() << "no node " << name;
  return 0;
}

std::vector<bool> handoffs(const ModelGraph& g, const std::function<bool(size_t)>& on_int8_gemm) {
  return find_int8_handoffs(g, find_epilogue_chains(g), on_int8_gemm);
}

const auto kAlways = [](size_t) { return true; };

// data -> c1 -> s1 -> r1 -> c2 -> s2 -> c3 -> s3 (head); s2 is also read
// by an elemwise_add (head). So r1 (c1's chain output, read by c2 only) is
// handed over; s2 (read by c3 and the add) and s3 (a head) are not.
struct Net {
  GraphBuilder b;
  explicit Net(int c2_precision = 8) {
    const EntryRef x = b.variable("data", {1, 8, 6, 7}, 8);
    const EntryRef w1 = b.variable("w1", {8, 8, 3, 3}, 8);
    const EntryRef w2 = b.variable("w2", {8, 8, 3, 3}, 8);
    const EntryRef w3 = b.variable("w3", {8, 8, 3, 3}, 8);
    const EntryRef c1 = b.op1("conv2d", "c1", {x, w1}, kConv3x3);
    const EntryRef s1 = b.op1("cvm_right_shift", "s1", {c1},
                              {{"precision", std::to_string(c2_precision)}, {"shift_bit", "9"}});
    const EntryRef r1 = b.op1("relu", "r1", {s1});
    const EntryRef c2 = b.op1("conv2d", "c2", {r1, w2}, kConv3x3);
    const EntryRef s2 = b.op1("cvm_right_shift", "s2", {c2}, kShift8);
    const EntryRef c3 = b.op1("conv2d", "c3", {s2, w3}, kConv3x3);
    b.head(b.op1("cvm_right_shift", "s3", {c3}, kShift8));
    b.head(b.op1("elemwise_add", "add", {s2, s2}));
  }
  ModelGraph graph() const { return load_graph(write_graph_json(b.graph())); }
};

TEST(model_int8_handoff, only_values_read_by_int8_convolutions_alone) {
  const ModelGraph g = Net().graph();
  const std::vector<bool> h = handoffs(g, kAlways);
  EXPECT_TRUE(h[entry_named(g, "r1")]);
  EXPECT_FALSE(h[entry_named(g, "s2")]) << "also read by the add";
  EXPECT_FALSE(h[entry_named(g, "s3")]) << "a head";
  EXPECT_FALSE(h[entry_named(g, "c1")]) << "inside a chain";
  EXPECT_FALSE(h[entry_named(g, "data")]) << "not a convolution's output";
  int count = 0;
  for (bool v : h) count += v ? 1 : 0;
  EXPECT_EQ(count, 1);
}

// (A value above precision 8 is never handed over, but no valid model has
// one read by a convolution as x: conv2d_c14 rejects it at load.)
// A ResNet block: the block's input v (a convolution's output) is read by
// conv c and by the add of c's chain. Where the chain adds it in the
// convolution's epilogue, both readers take bytes; where the add is a node
// of its own, v stays int32.
TEST(model_int8_handoff, a_chains_residual_is_read_as_bytes_too) {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {1, 8, 5, 5}, 8);
  const EntryRef w0 = b.variable("w0", {8, 8, 3, 3}, 8);
  const EntryRef w1 = b.variable("w1", {8, 8, 3, 3}, 8);
  const EntryRef v = b.op1("cvm_right_shift", "v", {b.op1("conv2d", "c0", {x, w0}, kConv3x3)}, kShift8);
  const EntryRef s = b.op1("cvm_right_shift", "s", {b.op1("conv2d", "c", {v, w1}, kConv3x3)}, kShift8);
  b.head(b.op1("relu", "r", {b.op1("elemwise_add", "add", {s, v})}));
  const ModelGraph g = load_graph(write_graph_json(b.graph()));
  EXPECT_TRUE(find_int8_handoffs(g, find_epilogue_chains(g, {.residual_adds = true}), kAlways)[entry_named(g, "v")]);
  EXPECT_FALSE(find_int8_handoffs(g, find_epilogue_chains(g), kAlways)[entry_named(g, "v")]);
}

// A max pool takes bytes from a convolution and gives them to one; one fed
// by the data (a variable, never handed over) still gives them.
TEST(model_int8_handoff, a_max_pool_takes_and_gives_bytes) {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {1, 8, 6, 6}, 8);
  const EntryRef w0 = b.variable("w0", {8, 8, 3, 3}, 8);
  const EntryRef w1 = b.variable("w1", {8, 8, 3, 3}, 8);
  const AttrMap pool{{"pool_size", "(2, 2)"}, {"strides", "(2, 2)"}};
  const EntryRef px = b.op1("max_pool2d", "px", {x}, pool);
  const EntryRef s0 = b.op1("cvm_right_shift", "s0", {b.op1("conv2d", "c0", {px, w0}, kConv3x3)}, kShift8);
  const EntryRef p = b.op1("max_pool2d", "p", {s0}, {{"pool_size", "(1, 1)"}});
  b.head(b.op1("conv2d", "c1", {p, w1}, kConv3x3));
  const ModelGraph g = load_graph(write_graph_json(b.graph()));
  const std::vector<bool> h = handoffs(g, kAlways);
  EXPECT_TRUE(h[entry_named(g, "s0")]);
  EXPECT_TRUE(h[entry_named(g, "p")]);
  EXPECT_FALSE(h[entry_named(g, "data")]);
  EXPECT_TRUE(h[entry_named(g, "px")]) << "a pool's output read by a convolution";
  // With the convolutions off the int8 GEMM, only pool-to-pool values could
  // pass; there are none.
  const std::vector<bool> none = handoffs(g, [](size_t) { return false; });
  EXPECT_FALSE(none[entry_named(g, "s0")]);
  EXPECT_FALSE(none[entry_named(g, "p")]);
  EXPECT_FALSE(none[entry_named(g, "px")]);
}

TEST(model_int8_handoff, a_convolution_never_reads_x_above_precision_8) {
  EXPECT_THROW(Net(/*c2_precision=*/9).graph(), LogicError);
}

TEST(model_int8_handoff, not_where_either_side_is_off_the_int8_gemm) {
  const ModelGraph g = Net().graph();
  size_t c1 = 0, c2 = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].name == "c1") c1 = i;
    if (g.nodes[i].name == "c2") c2 = i;
  }
  EXPECT_FALSE(handoffs(g, [&](size_t i) { return i != c1; })[entry_named(g, "r1")]) << "producer";
  EXPECT_FALSE(handoffs(g, [&](size_t i) { return i != c2; })[entry_named(g, "r1")]) << "reader";
}

TEST(model_int8_handoff, not_a_value_read_as_weights) {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {8, 8, 3, 3}, 8);
  const EntryRef w = b.variable("w", {8, 8, 1, 1}, 8);
  const EntryRef c =
      b.op1("conv2d", "c", {x, w}, {{"channels", "8"}, {"kernel_size", "(1, 1)"}, {"use_bias", "false"}});
  const EntryRef s = b.op1("cvm_right_shift", "s", {c}, kShift8);
  // s is the weights of the next convolution (8 x 8 x 3 x 3).
  const EntryRef y = b.variable("y", {1, 8, 5, 5}, 8);
  b.head(b.op1("conv2d", "d", {y, s}, kConv3x3));
  const ModelGraph g = load_graph(write_graph_json(b.graph()));
  EXPECT_FALSE(handoffs(g, kAlways)[entry_named(g, "s")]);
}

// A whole model: convolutions (and a max pool after the first) whose chains
// end at precision <= 8, so values
// pass as bytes at the int8 levels, through each copy path of the padded
// buffer (3x3 stride 1 and 2, the 1x1 stride-2 gather) and a K of two blocks
// (144 channels x 3 x 3 = 1296); then a residual block (conv, shift, add of
// the block's input, relu, shift), whose add the fast program fuses into the
// convolution at the int8 levels, so that its input is handed over to both
// readers.
std::shared_ptr<const Model> handoff_model(int64_t* handed_over_at_top_level, int64_t* residual_chains) {
  GraphBuilder b;
  std::vector<ParamArray> params;
  uint64_t seed = 7100;
  auto weights = [&](const std::string& name, const Shape& shape) {
    const Tensor t = seeded_tensor(shape, 8, ++seed);
    params.push_back(ParamArray{name, 32, shape, t.data});
    return b.variable(name, shape, 8);
  };
  auto conv_shift = [&](const std::string& name, EntryRef x, int64_t c, int64_t o, int64_t k, int64_t stride,
                        int64_t pad, int shift) {
    const EntryRef w = weights(name + "_w", {o, c, k, k});
    const EntryRef y = b.op1("conv2d", name, {x, w},
                             {{"channels", std::to_string(o)}, {"kernel_size", pair_attr(k, k)},
                              {"strides", pair_attr(stride, stride)}, {"padding", pair_attr(pad, pad)},
                              {"use_bias", "false"}});
    return b.op1("cvm_right_shift", name + "_s", {y}, {{"precision", "8"}, {"shift_bit", std::to_string(shift)}});
  };
  auto conv = [&](const std::string& name, EntryRef x, int64_t c, int64_t o, int64_t k, int64_t stride,
                  int64_t pad, int shift) {
    return b.op1("relu", name + "_r", {conv_shift(name, x, c, o, k, stride, pad, shift)});
  };
  EntryRef v = b.variable("data", {1, 3, 45, 57}, 8);
  v = conv("a", v, 3, 16, 3, 1, 1, 7);
  v = b.op1("max_pool2d", "pool", {v}, {{"pool_size", "(3, 3)"}, {"strides", "(2, 2)"}, {"padding", "(1, 1)"}});
  v = conv("b", v, 16, 24, 3, 2, 1, 9);
  v = conv("c", v, 24, 144, 1, 2, 0, 8);
  v = conv("d", v, 144, 20, 3, 1, 1, 11);
  v = conv("e", v, 20, 8, 3, 1, 1, 9);
  const EntryRef sum = b.op1("elemwise_add", "add", {conv_shift("f", v, 8, 8, 3, 1, 1, 9), v});
  const EntryRef relu = b.op1("relu", "add_r", {sum});
  b.head(b.op1("cvm_right_shift", "add_s", {relu}, {{"precision", "8"}, {"shift_bit", "1"}}));
  const std::string symbol = write_graph_json(b.graph());
  auto model = Model::load(symbol, write_params(params));
  const ModelGraph& g = model->graph();
  const fast::KernelOptions top{.isa = fast::cpu_isa()};
  const std::vector<EpilogueChain> chains = find_epilogue_chains(g, {.residual_adds = true});
  *residual_chains = 0;
  for (const EpilogueChain& c : chains) *residual_chains += c.residual >= 0 ? 1 : 0;
  const std::vector<size_t> producers = entry_producers(g);
  const std::vector<bool> h = find_int8_handoffs(g, chains, [&](size_t i) {
    NodeSpec spec = node_spec(*model, producers, i);
    for (const EpilogueChain& c : chains)
      if (c.first == i) spec.outputs = {g.entries[static_cast<size_t>(g.nodes[c.last].first_entry)]};
    return fast::conv2d_on_int8_gemm(spec, top);
  });
  *handed_over_at_top_level = 0;
  for (bool x : h) *handed_over_at_top_level += x ? 1 : 0;
  return model;
}

TEST(model_int8_handoff, whole_model_equals_the_reference_at_every_level) {
  int64_t handed = 0, residual_chains = 0;
  const std::shared_ptr<const Model> model = handoff_model(&handed, &residual_chains);
  EXPECT_EQ(residual_chains, 1);
  // At the int8 levels the first convolution's output passes to the max
  // pool, the pool's to the next convolution, three values between the
  // next four convolutions, and the residual block's input (read by conv f
  // as x and by f's chain as its residual).
  if (fast::use_avx_vnni(fast::cpu_isa())) {
    EXPECT_EQ(handed, 6);
  }
  const Tensor input = make_input(*model, {1, 3, 45, 57}, seeded_tensor({1, 3, 45, 57}, 8, 7000).data);
  const std::vector<Tensor> want = Runtime(model, reference_backend()).run(input);
  // Values that mean something: not a head of zeros or of one clip bound.
  ASSERT_EQ(want.size(), 1u);
  EXPECT_GE(std::set<int32_t>(want[0].data.begin(), want[0].data.end()).size(), 20u);
  for (fast::Isa isa : fast::available_isas())
    for (int threads : {1, 2, 3}) {
      const std::unique_ptr<Backend> fast = make_fast_backend(threads, isa);
      Runtime runtime(model, *fast);
      for (int run = 0; run < 2; ++run)
        EXPECT_EQ(runtime.run(input), want) << fast::isa_name(isa) << ", " << threads << " threads, run " << run;
    }
}

}  // namespace
}  // namespace cvm::oracle
