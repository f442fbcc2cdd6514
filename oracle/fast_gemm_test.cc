// The fused epilogues of the conv2d and dense fast kernels (fast/epilogue.h):
// the kernel with a chain equals the kernel then the chain's ops, and each
// epilogue step equals its op on extreme values; and which fast/ sources ask
// for the VNNI level. The directed cases of conv2d and dense (tile
// boundaries, attribute variants, precision extremes, the int8 path) are in
// oracle/directed/nn_cases.cc, run by directed_test on every backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "conv_case.h"
#include "cvm/validate.h"
#include "fast/epilogue.h"
#include "fast/run_op.h"
#include "fast_support.h"
#include "fused_chain.h"
#include "support.h"

namespace cvm::oracle {
namespace {

// ---- fused == unfused chains --------------------------------------------

TEST(fast_conv2d, fused_equals_unfused_chain) {
  const ConvCase cases[] = {
      {.n = 1, .c = 5, .h = 9, .w = 10, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1},
      {.n = 2, .c = 4, .h = 7, .w = 7, .o = 4, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .groups = 2, .bias = false},
      {.n = 1, .c = 600, .h = 2, .w = 9, .o = 5, .kh = 1, .kw = 1, .pb = 20},
  };
  uint64_t seed = 100;
  for (const ConvCase& k : cases)
    for (const auto& chain : epilogue_chains())
      EXPECT_EQ(fused_vs_chain("conv2d", conv_attrs(k), conv_inputs(k, ++seed, seeded_tensor), chain), "");
}

// The int8 hand-off between convolutions: each copy path of the padded
// buffer (stride 1, the stride-2 column split, stride 3, the compact 1x1
// stride-2 gather), partial tiles and panels, two K blocks (K = 1296: the
// partial sums then live in int32 scratch while the output is bytes),
// groups, a batch of two, and a depthwise case (never on the int8 GEMM:
// the kernel converts around it).
TEST(fast_conv2d, int8_handoff_equals_unfused_chain) {
  const ConvCase cases[] = {
      {.n = 1, .c = 5, .h = 9, .w = 21, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1},
      {.n = 2, .c = 8, .h = 11, .w = 35, .o = 20, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1},
      {.n = 1, .c = 4, .h = 10, .w = 40, .o = 8, .kh = 3, .kw = 3, .sh = 3, .sw = 3, .ph = 2, .pw = 2, .groups = 2},
      {.n = 1, .c = 16, .h = 14, .w = 14, .o = 32, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .bias = false},
      {.n = 1, .c = 144, .h = 6, .w = 7, .o = 17, .kh = 3, .kw = 3, .ph = 1, .pw = 1},
      depthwise({.c = 6, .h = 8, .w = 9}),
  };
  const std::vector<ChainStep> chains[] = {
      {{"cvm_right_shift", {{"precision", "8"}, {"shift_bit", "6"}}}, {"relu", {}}},
      {{"cvm_clip", {{"precision", "8"}}}},
      {{"cvm_right_shift", {{"precision", "5"}, {"shift_bit", "9"}}}},
  };
  uint64_t seed = 150;
  for (const ConvCase& k : cases)
    for (const auto& chain : chains)
      EXPECT_EQ(handoff_vs_chain(conv_attrs(k), conv_inputs(k, ++seed, seeded_tensor), chain), "")
          << "case c " << k.c << " o " << k.o << " stride " << k.sh;
}

// A residual add in the chain (the fast program's ResNet shortcut): added
// in the int8 micro-kernels' registers (full and partial tiles, two K
// blocks, with the output as int32 or handed over as bytes) and in a pass
// after the other paths; before, between and after the other steps.
TEST(fast_conv2d, residual_add_equals_unfused_chain) {
  const ConvCase cases[] = {
      {.n = 1, .c = 5, .h = 9, .w = 21, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1},
      {.n = 2, .c = 8, .h = 11, .w = 35, .o = 20, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1},
      {.n = 1, .c = 144, .h = 6, .w = 7, .o = 17, .kh = 3, .kw = 3, .ph = 1, .pw = 1},
      depthwise({.c = 6, .h = 8, .w = 9}),
  };
  const ChainStep add{"elemwise_add", {}};
  // The first two saturate (large sums, a small shift) and test the clip
  // after the add; the third keeps most sums inside its range (a shift by
  // K's magnitude), so a wrong residual element shows in the output.
  const std::vector<ChainStep> chains[] = {
      {{"cvm_right_shift", {{"precision", "8"}, {"shift_bit", "6"}}}, add, {"relu", {}},
       {"cvm_right_shift", {{"precision", "8"}, {"shift_bit", "1"}}}},
      {add, {"cvm_clip", {{"precision", "8"}}}},
      {{"cvm_right_shift", {{"precision", "7"}, {"shift_bit", "12"}}}, add},
  };
  uint64_t seed = 170;
  for (const ConvCase& k : cases)
    for (const auto& chain : chains) {
      const std::vector<Tensor> in = conv_inputs(k, ++seed, seeded_tensor);
      const Tensor want = run_reference("conv2d", conv_attrs(k), in).outputs[0];
      // A residual of precision 7: every chain's output stays within 8 bits
      // (so each is also handed over as bytes).
      const Tensor residual = seeded_tensor(want.shape, 7, ++seed);
      EXPECT_EQ(fused_vs_chain("conv2d", conv_attrs(k), in, chain, &residual), "") << "case c " << k.c;
      EXPECT_EQ(handoff_vs_chain(conv_attrs(k), in, chain, &residual), "") << "case c " << k.c;
    }
}

TEST(fast_dense, fused_equals_unfused_chain) {
  uint64_t seed = 200;
  for (int64_t m : {1, 6})
    for (const auto& chain : epilogue_chains()) {
      ++seed;
      std::vector<Tensor> in{seeded_tensor({m, 37}, 8, seed), seeded_tensor({19, 37}, 8, seed + 1), seeded_tensor({19}, 16, seed + 2)};
      EXPECT_EQ(fused_vs_chain("dense", {{"units", "19"}}, in, chain), "");
    }
}

TEST(fast_dense, epilogue_step_maps_each_op_exactly) {
  // Scalar Epilogue::apply against the reference op on extreme values.
  const std::vector<int32_t> xs{INT32_MAX, INT32_MAX - 1, -INT32_MAX, 0, 1, -1, 2, -2, 3, -3, 1 << 30, -(1 << 30)};
  for (const auto& chain : epilogue_chains())
    for (const ChainStep& s : chain) {
      Tensor x{{static_cast<int64_t>(xs.size())}, 32, xs};
      const Tensor want = run_reference(s.op, s.attrs, {x}).outputs[0];
      const ValidatedOp v = validate_op(s.op, s.attrs, {x.type()});
      Epilogue e;
      e.push(*epilogue_step(*v.op, v.attrs));
      for (size_t i = 0; i < xs.size(); ++i) EXPECT_EQ(e.apply(xs[i]), want.data[i]) << s.op << " " << xs[i];
    }
  const ValidatedOp d = validate_op("dense", {{"units", "1"}}, {TensorType{{1, 1}, 8}, TensorType{{1, 1}, 8}, TensorType{{1}, 8}});
  EXPECT_FALSE(epilogue_step(*d.op, d.attrs).has_value());
}

// The differential tests skip the VNNI level for ops without paths of their
// own there (fast::isa_has_own_paths). That is sound only while every fast/
// source that asks for a VNNI level (use_avx512_vnni(level),
// use_avx_vnni(level), or gemm::int8_gemm(level) which the GEMM answers from
// them) belongs to an op that has such paths: a new caller must be reviewed
// and isa_has_own_paths extended. conv2d.cc also passes use_avx512_vnni(level)
// to the depthwise kernel (conv2d_depthwise_avx2.cc), which has no AVX-VNNI
// code (at that level it runs its AVX2 code).
TEST(fast_isa_levels, only_the_gemm_asks_for_vnni) {
  for (fast::Isa level : {fast::Isa::kAvxVnni, fast::Isa::kAvx512Vnni}) {
    EXPECT_TRUE(fast::isa_has_own_paths("conv2d", level));
    EXPECT_TRUE(fast::isa_has_own_paths("dense", level));
    EXPECT_FALSE(fast::isa_has_own_paths("relu", level));
  }
  EXPECT_TRUE(fast::isa_has_own_paths("relu", fast::Isa::kAvx2));
  std::vector<std::string> callers;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CVM_SOURCE_DIR) + "/fast")) {
    if (entry.path().extension() != ".cc") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const bool asks = text.find("use_avx512_vnni(") != std::string::npos ||
                      text.find("use_avx_vnni(") != std::string::npos || text.find("int8_gemm(") != std::string::npos;
    if (asks && entry.path().filename() != "registry.cc") callers.push_back(entry.path().filename().string());
  }
  std::sort(callers.begin(), callers.end());
  EXPECT_EQ(callers, (std::vector<std::string>{"conv2d.cc", "dense.cc", "gemm_common_avx2.cc"}));
}

}  // namespace
}  // namespace cvm::oracle
