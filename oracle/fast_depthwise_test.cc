// The direct depthwise conv2d (fast/conv2d_depthwise*.{h,cc}, reached from
// fast/conv2d.cc when groups == C or two channels per group): its fused
// epilogue chains against the unfused chain, which problems it takes, its
// weight pairs, and the grouped-GEMM option against the reference. Its
// directed cases (the plane buffer's borders, vector tails, channel
// multipliers, the precision limits) are in oracle/directed/nn_cases.cc, run
// by directed_test on every backend.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "conv_case.h"
#include "fast/conv2d_depthwise.h"
#include "fast/run_op.h"
#include "fast_support.h"
#include "fused_chain.h"
#include "support.h"

namespace cvm::oracle {
namespace {

AttrMap dw_attrs(const DepthwiseCase& k) { return conv_attrs(depthwise(k)); }

std::vector<Tensor> dw_inputs(const DepthwiseCase& k, uint64_t seed) {
  return conv_inputs(depthwise(k), seed, seeded_tensor);
}

// ---- fused epilogues: the kernel with a chain equals the chain ----------

TEST(fast_depthwise, fused_equals_unfused_chain) {
  const DepthwiseCase cases[] = {
      {.n = 1, .c = 5, .h = 9, .w = 21},
      {.n = 2, .c = 4, .h = 11, .w = 35, .mult = 2, .sh = 2, .sw = 2, .bias = false},
  };
  uint64_t seed = 300;
  for (const DepthwiseCase& k : cases)
    for (const auto& chain : epilogue_chains())
      EXPECT_EQ(fused_vs_chain("conv2d", dw_attrs(k), dw_inputs(k, ++seed), chain), "");
}

// The dispatch: depthwise and two-channel groups take the direct kernel,
// larger groups and huge paddings do not (so the depthwise cases of
// oracle/directed/nn_cases.cc exercise what they claim).
TEST(fast_depthwise, applies_to_small_groups_only) {
  fast::gemm::ConvProblem p;
  p.n = 1, p.c = 96, p.h = 112, p.w = 112, p.o = 96, p.kh = 3, p.kw = 3, p.oh = 56, p.ow = 56;
  p.sh = 2, p.sw = 2, p.ph = 1, p.pw = 1, p.groups = 96;
  EXPECT_TRUE(fast::depthwise::applies(p));
  p.o = 192;  // channel multiplier 2
  EXPECT_TRUE(fast::depthwise::applies(p));
  p.groups = 48;  // two input channels per group
  EXPECT_TRUE(fast::depthwise::applies(p));
  p.groups = 32;  // three: the grouped GEMM
  EXPECT_FALSE(fast::depthwise::applies(p));
  p.groups = 1, p.c = 1, p.o = 8;  // one channel, no groups: the GEMM
  EXPECT_FALSE(fast::depthwise::applies(p));
  p.c = 96, p.o = 192, p.groups = 96;
  EXPECT_TRUE(fast::depthwise::applies(p));
  p = fast::gemm::ConvProblem{};
  p.n = 1, p.c = 2, p.h = 1, p.w = 1, p.o = 2, p.kh = 1, p.kw = 1, p.oh = 3, p.ow = 3;
  p.sh = 4096, p.sw = 4096, p.ph = 4096, p.pw = 4096, p.groups = 2;
  EXPECT_FALSE(fast::depthwise::applies(p));
  // Geometry of a 3x3 stride-2 layer: 56 columns round up to 64 lanes, tap
  // offsets up to 1 lane; rows (56 - 1) 2 + 2 + 1.
  p = fast::gemm::ConvProblem{};
  p.n = 1, p.c = 8, p.h = 112, p.w = 112, p.o = 8, p.kh = 3, p.kw = 3, p.oh = 56, p.ow = 56;
  p.sh = 2, p.sw = 2, p.ph = 1, p.pw = 1, p.groups = 8;
  const fast::depthwise::Geometry g = fast::depthwise::geometry(p);
  EXPECT_EQ(g.row_pairs, 2);
  EXPECT_EQ(g.owv, 64);
  EXPECT_EQ(g.t, 65);
  EXPECT_EQ(g.rows, 113);
  EXPECT_EQ(g.plane, 113 * 2 * 65);
}

// The benchmarks' "before" (KernelOptions::depthwise_as_grouped_gemm: a
// depthwise problem on the grouped GEMM instead of the direct kernel) gives
// the reference's bits too, with and without packed weights.
TEST(fast_depthwise, grouped_gemm_option_matches_reference) {
  DepthwiseCase k;
  k.c = 5, k.mult = 2, k.h = 11, k.w = 13;
  const std::vector<Tensor> in = dw_inputs(k, 91);
  const std::vector<Tensor> want = run_reference("conv2d", dw_attrs(k), in).outputs;
  fast::ThreadPool pool(2);
  for (fast::Isa isa : fast::available_isas())
    for (bool constant : {false, true}) {
      const std::vector<bool> mask(in.size(), constant);
      const fast::KernelOptions options{.isa = isa, .depthwise_as_grouped_gemm = true};
      EXPECT_EQ(fast::run_fast_op("conv2d", dw_attrs(k), in, pool, options, mask), want)
          << fast::isa_name(isa) << (constant ? ", constant weights" : "");
    }
}

TEST(fast_depthwise, weight_pairs_hold_two_kernel_rows) {
  // w[0, 0] = (1 2; -3 4; 5 -127) (3 x 2): pairs (1, -3), (2, 4), (5, 0), (-127, 0).
  const std::vector<int32_t> w{1, 2, -3, 4, 5, -127};
  const std::vector<int32_t> got = fast::depthwise::pack_weight_pairs(w.data(), 1, 3, 2);
  const auto lane = [](int32_t lo, int32_t hi) { return static_cast<int32_t>((static_cast<uint32_t>(hi) << 16) + (static_cast<uint32_t>(lo) & 0xFFFFu)); };
  EXPECT_EQ(got, (std::vector<int32_t>{lane(1, -3), lane(2, 4), lane(5, 0), lane(-127, 0)}));
}

}  // namespace
}  // namespace cvm::oracle
