// Fused epilogue chains on the CUDA backend (runtime/cuda_backend.cu, the epilogue
// of cuda/gemm_int8.cu): models whose conv2d / dense nodes are followed by
// cvm_right_shift, relu, clip and cvm_clip run with fusion on and off, on
// the tensor-core path (with and without split-K) and the simple path, and
// must give the reference's heads bit for bit; a run with an observer (every
// node's value, so nothing fused) must too. Two models place a fused output
// where the memory plan's slot is still in use when the chain runs
// (runtime/epilogue_chains.h), so it must live in memory of its own.
//
// Expected values come from the reference backend. Every test starts with
// CVM_REQUIRE_GPU(): without a CUDA device it is skipped with a message.
#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cuda_support.h"
#include "cvm/backend.h"
#include "cvm/graph_builder.h"
#include "cvm/model.h"
#include "cvm/params.h"
#include "cvm/runtime.h"
#include "gen/chooser.h"
#include "gen/differential.h"
#include "gen/values.h"
#include "support.h"

namespace cvm::oracle {
namespace {

/// A model under construction: the builder plus its parameter values.
struct ModelMaker {
  GraphBuilder b;
  std::vector<ParamArray> params;
  uint64_t seed = 1;

  EntryRef param(const std::string& name, const Shape& shape, int precision) {
    gen::SeededChooser c(++seed * 2654435761u);
    const Tensor t = gen::random_tensor(c, TensorType{shape, precision});
    params.push_back(ParamArray{name, 32, shape, t.data});
    return b.variable(name, shape, precision);
  }
  std::shared_ptr<const Model> load() const {
    return Model::load(write_graph_json(b.graph()), write_params(params));
  }
  Tensor input(const Shape& shape, int precision) {
    gen::SeededChooser c(++seed * 2654435761u);
    return gen::random_tensor(c, TensorType{shape, precision});
  }
};

/// cuda == reference on `data`: fused and unfused, default and simple GEMM
/// paths, and with an observer; each setting also replays its graph on the
/// negated input.
void check_model(const ModelMaker& m, const Tensor& data) {
  const auto model = m.load();
  const Backend& cuda = *find_backend("cuda");
  Tensor negated = data;
  for (int32_t& v : negated.data) v = -v;
  for (const Tensor* in : {&data, static_cast<const Tensor*>(&negated)}) {
    const gen::Outcome want = gen::capture([&] { return Runtime(model, reference_backend()).run(*in); });
    ASSERT_EQ(want.error, "");
    Runtime runtime(model, cuda);
    for (bool simple : {false, true})
      for (bool fuse : {true, false}) {
        const ForceSimple force(simple);
        const FuseEpilogues fusion(fuse);
        // Twice: the first run captures the graph, the second replays it.
        for (int run = 0; run < 2; ++run)
          EXPECT_EQ(gen::compare_outcomes(want, gen::capture([&] { return runtime.run(*in); })), "")
              << (simple ? "simple" : "tensor-core") << " path, fusion " << (fuse ? "on" : "off") << ", run "
              << run;
      }
    const FuseEpilogues fusion(true);
    size_t nodes = 0;
    const NodeObserver observe = [&](size_t, std::span<const Tensor>) { ++nodes; };
    EXPECT_EQ(gen::compare_outcomes(want, gen::capture([&] { return runtime.run(*in, &observe); })), "")
        << "with an observer";
    EXPECT_GT(nodes, 0u);
  }
}

TEST(cuda_epilogue, conv2d_chains) {
  CVM_REQUIRE_GPU();
  // Batch 4, 64 channels, 3x3: one split; then shift, relu, clip, cvm_clip.
  ModelMaker m;
  const EntryRef x = m.b.variable("data", {4, 64, 12, 12}, 8);
  const EntryRef w = m.param("w", {64, 64, 3, 3}, 8);
  const EntryRef bias = m.param("b", {64}, 8);
  EntryRef v = m.b.op1("conv2d", "c", {x, w, bias},
                       {{"channels", "64"}, {"kernel_size", "(3, 3)"}, {"padding", "(1, 1)"}, {"use_bias", "true"}});
  v = m.b.op1("cvm_right_shift", "s", {v}, {{"precision", "8"}, {"shift_bit", "9"}});
  v = m.b.op1("relu", "r", {v});
  v = m.b.op1("clip", "k", {v}, {{"a_min", "-3"}, {"a_max", "100"}});
  v = m.b.op1("cvm_clip", "q", {v}, {{"precision", "7"}});
  m.b.head(v);
  check_model(m, m.input({4, 64, 12, 12}, 8));
}

TEST(cuda_epilogue, split_k_chain) {
  CVM_REQUIRE_GPU();
  // ResNet layer4 at batch 1 (7x7, 256 -> 256 channels, K = 2304): few
  // tiles, so the GEMM splits K and the epilogue runs after the splits.
  ModelMaker m;
  const EntryRef x = m.b.variable("data", {1, 256, 7, 7}, 8);
  const EntryRef w = m.param("w", {256, 256, 3, 3}, 8);
  EntryRef v = m.b.op1("conv2d", "c", {x, w},
                       {{"channels", "256"}, {"kernel_size", "(3, 3)"}, {"padding", "(1, 1)"}, {"use_bias", "false"}});
  v = m.b.op1("cvm_right_shift", "s", {v}, {{"precision", "8"}, {"shift_bit", "12"}});
  v = m.b.op1("relu", "r", {v});
  m.b.head(v);
  check_model(m, m.input({1, 256, 7, 7}, 8));
}

TEST(cuda_epilogue, dense_chains) {
  CVM_REQUIRE_GPU();
  // K = 4096 at batch 2 (split-K), then 100 units after it (one split).
  ModelMaker m;
  const EntryRef x = m.b.variable("data", {2, 4096}, 8);
  const EntryRef w1 = m.param("w1", {64, 4096}, 8);
  const EntryRef b1 = m.param("b1", {64}, 8);
  EntryRef v = m.b.op1("dense", "d1", {x, w1, b1}, {{"units", "64"}, {"use_bias", "true"}});
  v = m.b.op1("cvm_right_shift", "s1", {v}, {{"precision", "8"}, {"shift_bit", "14"}});
  const EntryRef w2 = m.param("w2", {100, 64}, 8);
  v = m.b.op1("dense", "d2", {v, w2}, {{"units", "100"}, {"use_bias", "false"}});
  v = m.b.op1("cvm_clip", "q", {v}, {{"precision", "6"}});
  m.b.head(v);
  check_model(m, m.input({2, 4096}, 8));
}

TEST(cuda_epilogue, outputs_whose_slot_is_busy_get_memory_of_their_own) {
  CVM_REQUIRE_GPU();
  // data -> relu a -> conv2d c -> cvm_right_shift s: s's planned slot is a's,
  // which c still reads (oracle/model_epilogue_chains_test.cc).
  {
    ModelMaker m;
    const EntryRef x = m.b.variable("data", {2, 32, 8, 8}, 8);
    const EntryRef w = m.param("w", {32, 32, 1, 1}, 8);
    const EntryRef a = m.b.op1("relu", "a", {x});
    const EntryRef c = m.b.op1("conv2d", "c", {a, w}, {{"channels", "32"}, {"kernel_size", "(1, 1)"}, {"use_bias", "false"}});
    m.b.head(m.b.op1("cvm_right_shift", "s", {c}, {{"precision", "8"}, {"shift_bit", "6"}}));
    check_model(m, m.input({2, 32, 8, 8}, 8));
  }
  // cA, cB, sB = shift(cB), n = negative(sB), sA = shift(cA): sA keeps the
  // slot it shares with sB, so sB moves out.
  {
    ModelMaker m;
    const EntryRef x = m.b.variable("data", {2, 32, 8, 8}, 8);
    const EntryRef w = m.param("w", {32, 32, 1, 1}, 8);
    const AttrMap conv{{"channels", "32"}, {"kernel_size", "(1, 1)"}, {"use_bias", "false"}};
    const AttrMap shift{{"precision", "8"}, {"shift_bit", "6"}};
    const EntryRef ca = m.b.op1("conv2d", "cA", {x, w}, conv);
    const EntryRef cb = m.b.op1("conv2d", "cB", {x, w}, conv);
    const EntryRef sb = m.b.op1("cvm_right_shift", "sB", {cb}, shift);
    m.b.head(m.b.op1("negative", "n", {sb}));
    m.b.head(m.b.op1("cvm_right_shift", "sA", {ca}, shift));
    check_model(m, m.input({2, 32, 8, 8}, 8));
  }
}

}  // namespace
}  // namespace cvm::oracle
