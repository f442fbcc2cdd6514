// The direct depthwise conv2d (fast/conv2d_depthwise*.{h,cc}, reached from
// fast/conv2d.cc when groups == C) against the reference, bit for bit, at
// every ISA level the CPU has and 1, 2 and 7 threads (expect_fast_matches_
// reference): the plane buffer's borders (padding 0-2, strides 1-3, dilation,
// odd kernel heights and widths paired with weight 0, both layouts), vector tails (widths around 8
// and 16 columns), channel multipliers, batches, bias, the fused epilogue
// chains and the precision limits. The expected values are the reference
// kernel's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cvm/validate.h"
#include "fast/conv2d_depthwise.h"
#include "fast/epilogue.h"
#include "fast/run_op.h"
#include "fast_support.h"
#include "fused_chain.h"
#include "support.h"

namespace cvm::oracle {
namespace {

// A depthwise conv2d: c input channels, c * mult outputs, groups = c.
struct Dw {
  int64_t n = 1, c = 3, h = 9, w = 9, mult = 1, kh = 3, kw = 3;
  int64_t sh = 1, sw = 1, ph = 1, pw = 1, dh = 1, dw = 1;
  bool bias = true;
  int px = 8, pw_ = 8, pb = 8;
};

AttrMap dw_attrs(const Dw& k) {
  return {{"channels", std::to_string(k.c * k.mult)}, {"kernel_size", pair_attr(k.kh, k.kw)},
          {"strides", pair_attr(k.sh, k.sw)},               {"padding", pair_attr(k.ph, k.pw)},
          {"dilation", pair_attr(k.dh, k.dw)},              {"groups", std::to_string(k.c)},
          {"use_bias", k.bias ? "true" : "false"}};
}

std::vector<Tensor> dw_inputs(const Dw& k, uint64_t seed) {
  std::vector<Tensor> in{seeded_tensor({k.n, k.c, k.h, k.w}, k.px, seed),
                         seeded_tensor({k.c * k.mult, 1, k.kh, k.kw}, k.pw_, seed + 1)};
  if (k.bias) in.push_back(seeded_tensor({k.c * k.mult}, k.pb, seed + 2));
  return in;
}

void check(const Dw& k, uint64_t seed = 1) {
  SCOPED_TRACE(testing::Message() << "depthwise n" << k.n << " c" << k.c << " x" << k.mult << " h" << k.h
                                  << " w" << k.w << " k" << k.kh << "x" << k.kw << " s" << k.sh << ","
                                  << k.sw << " p" << k.ph << "," << k.pw << " d" << k.dh << "," << k.dw
                                  << (k.bias ? " bias" : ""));
  expect_fast_matches_reference("conv2d", dw_attrs(k), dw_inputs(k, seed));
}

TEST(fast_depthwise, strides_paddings_kernels) {
  uint64_t seed = 1;
  for (int64_t s : {1, 2})
    for (int64_t pad : {0, 1, 2})
      for (int64_t ks : {1, 3, 5})
        check({.c = 3, .h = 11, .w = 13, .kh = ks, .kw = ks, .sh = s, .sw = s, .ph = pad, .pw = pad}, ++seed);
}

TEST(fast_depthwise, widths_around_the_vector_lengths) {
  // Output widths 1..3, 7..9, 15..17, 31..33, 63..65 (8-lane halves,
  // 16-lane vectors, 4-vector blocks) at strides 1 and 2.
  uint64_t seed = 100;
  for (int64_t w : {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65})
    check({.c = 2, .h = 4, .w = w, .ph = 1, .pw = 1}, ++seed);
  for (int64_t w : {2, 15, 16, 17, 31, 32, 33, 34, 35, 66, 130})
    check({.c = 2, .h = 5, .w = w, .sh = 2, .sw = 2, .ph = 1, .pw = 1}, ++seed);
}

TEST(fast_depthwise, other_strides_dilations_and_shapes) {
  check({.c = 5, .h = 12, .w = 20, .sh = 3, .sw = 3, .ph = 2, .pw = 1});
  check({.c = 4, .h = 10, .w = 19, .sh = 2, .sw = 1, .ph = 1, .pw = 0}, 2);
  check({.c = 4, .h = 10, .w = 19, .sh = 1, .sw = 2, .ph = 0, .pw = 2}, 3);
  check({.c = 3, .h = 12, .w = 21, .ph = 2, .pw = 2, .dh = 2, .dw = 2}, 4);
  check({.c = 3, .h = 13, .w = 22, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 3, .dh = 3, .dw = 2}, 5);
  check({.c = 2, .h = 9, .w = 11, .kh = 2, .kw = 4, .ph = 0, .pw = 1}, 6);   // even kernel height
  check({.c = 2, .h = 9, .w = 11, .kh = 5, .kw = 1, .ph = 2, .pw = 0}, 7);   // odd height, one column
  check({.c = 2, .h = 9, .w = 11, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3}, 8);
  // Windows entirely in the padding, and a 1 x 1 image.
  check({.c = 2, .h = 2, .w = 2, .kh = 1, .kw = 1, .ph = 3, .pw = 2}, 9);
  check({.c = 3, .h = 1, .w = 1, .ph = 1, .pw = 1}, 10);
  // Huge strides and padding: the buffer would be mostly padding, so the
  // other paths run (the result must not change).
  check({.c = 2, .h = 1, .w = 1, .kh = 1, .kw = 1, .sh = 4096, .sw = 4096, .ph = 4096, .pw = 4096}, 11);
}

TEST(fast_depthwise, channels_multipliers_batches_bias) {
  uint64_t seed = 200;
  for (int64_t c : {1, 7, 13})
    for (int64_t mult : {1, 2, 3}) check({.n = 2, .c = c, .h = 6, .w = 10, .mult = mult, .bias = c != 7}, ++seed);
  check({.n = 3, .c = 37, .h = 14, .w = 14, .sh = 2, .sw = 2, .bias = false}, ++seed);
  check({.n = 1, .c = 24, .h = 28, .w = 30, .mult = 2}, ++seed);  // several tasks per thread
}

// Two input channels per group (each output sums both channels' taps).
void check_grouped(int64_t n, int64_t c, int64_t h, int64_t w, int64_t o, int64_t s, int64_t pad, bool bias,
                   uint64_t seed) {
  SCOPED_TRACE(testing::Message() << "grouped n" << n << " c" << c << " o" << o << " h" << h << " w" << w << " s" << s
                                  << " p" << pad);
  const AttrMap attrs{{"channels", std::to_string(o)}, {"kernel_size", "(3, 3)"}, {"strides", pair_attr(s, s)},
                      {"padding", pair_attr(pad, pad)},     {"groups", std::to_string(c / 2)},
                      {"use_bias", bias ? "true" : "false"}};
  std::vector<Tensor> in{seeded_tensor({n, c, h, w}, 8, seed), seeded_tensor({o, 2, 3, 3}, 8, seed + 1)};
  if (bias) in.push_back(seeded_tensor({o}, 8, seed + 2));
  expect_fast_matches_reference("conv2d", attrs, in);
}

TEST(fast_depthwise, groups_of_two_channels) {
  check_grouped(1, 2, 7, 9, 1, 1, 1, true, 400);
  check_grouped(2, 6, 9, 17, 6, 1, 0, false, 410);
  check_grouped(1, 6, 11, 20, 9, 2, 1, true, 420);  // 3 outputs per group, column pairs
  check_grouped(1, 10, 13, 35, 5, 2, 2, true, 430);
  check_grouped(2, 4, 30, 33, 8, 1, 1, true, 440);  // several bands
}

TEST(fast_depthwise, precision_limits) {
  check({.c = 3, .h = 7, .w = 9, .px = 1, .pw_ = 8, .pb = 1});
  check({.c = 3, .h = 7, .w = 9, .px = 8, .pw_ = 1, .pb = 2}, 2);
  check({.c = 3, .h = 7, .w = 9, .px = 4, .pw_ = 7, .pb = 31}, 3);
  // x and w at +-127 (the int16 halves at their extremes) with a large
  // kernel (K = 225) and a 30-bit bias: the largest sums.
  // Stride 2 too (the column-pair layout packs x to int16).
  for (const int64_t s : {1, 2})
    for (const int32_t xv : {127, -127})
      for (const int32_t wv : {127, -127}) {
        const Dw k{.n = 2, .c = 3, .h = 17, .w = 19, .kh = 15, .kw = 15, .sh = s, .sw = s, .ph = 7, .pw = 7, .pb = 30};
        SCOPED_TRACE(testing::Message() << "stride " << s << " x=" << xv << " w=" << wv);
        std::vector<Tensor> in = dw_inputs(k, 5);
        for (int32_t& v : in[0].data) v = xv;
        for (size_t i = 0; i < in[1].data.size(); ++i) in[1].data[i] = i % 5 == 4 ? -wv : wv;
        ASSERT_NO_THROW(run_reference("conv2d", dw_attrs(k), in));  // a valid case
        expect_fast_matches_reference("conv2d", dw_attrs(k), in);
      }
}

// ---- fused epilogues: the kernel with a chain equals the chain ----------

TEST(fast_depthwise, fused_equals_unfused_chain) {
  const Dw cases[] = {
      {.n = 1, .c = 5, .h = 9, .w = 21},
      {.n = 2, .c = 4, .h = 11, .w = 35, .mult = 2, .sh = 2, .sw = 2, .bias = false},
  };
  uint64_t seed = 300;
  for (const Dw& k : cases)
    for (const auto& chain : epilogue_chains())
      EXPECT_EQ(fused_vs_chain("conv2d", dw_attrs(k), dw_inputs(k, ++seed), chain), "");
}

// The dispatch: depthwise and two-channel groups take the direct kernel,
// larger groups and huge paddings do not (so the cases here exercise what
// they claim).
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
  Dw k;
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
