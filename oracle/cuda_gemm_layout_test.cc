// The CUDA int8 GEMM's index arithmetic (cuda/gemm_int8.h), checked on the
// CPU (no GPU needed): the fragment functions against an independent
// transcription of the PTX ISA tables for mma.m16n8k32 with .s8 operands, the
// shared-memory addressing (bank-conflict-free fragment reads), and an
// emulation of one block tile: the loaders' stores into sA/sB, every warp's
// fragment loads through a_smem_word / b_smem_word, the mma emulated from the
// PTX tables alone, and the epilogue's c_tile_row / c_tile_col, compared with
// a plain matrix product.
#include <gtest/gtest.h>

#include <any>
#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cuda/gemm_int8.h"
#include "cvm/attrs.h"
#include "cvm/ops/conv2d.h"
#include "cvm/tensor.h"
#include "cvm/validate.h"
#include "gen/chooser.h"
#include "gen/op_cases.h"

namespace cvm::cuda::gemm {
namespace {

// ---- PTX ISA tables, transcribed independently of gemm_int8.h -------------
// groupID = laneid >> 2, threadID_in_group = laneid % 4.
// A (.s8, 16 x 32): elements a0..a15 (4 per .b32 register, a0 in the low byte
// of register 0):
//   row = groupID       for ai with 0 <= i < 4 or 8 <= i < 12
//         groupID + 8   otherwise
//   col = threadID_in_group * 4 + (i & 0x3)        for ai with i < 8
//         threadID_in_group * 4 + (i & 0x3) + 16   for ai with i >= 8
std::pair<int, int> ptx_a(int lane, int i) {
  const int g = lane >> 2, t = lane % 4;
  const int row = (i < 4 || (i >= 8 && i < 12)) ? g : g + 8;
  const int col = i < 8 ? t * 4 + (i & 3) : t * 4 + (i & 3) + 16;
  return {row, col};
}
// B (.s8, 32 x 8): elements b0..b7:
//   row = threadID_in_group * 4 + (i & 0x3)        for bi with i < 4
//         threadID_in_group * 4 + (i & 0x3) + 16   for bi with i >= 4
//   col = groupID
std::pair<int, int> ptx_b(int lane, int i) {
  const int g = lane >> 2, t = lane % 4;
  const int row = i < 4 ? t * 4 + (i & 3) : t * 4 + (i & 3) + 16;
  return {row, g};
}
// C, D (.s32, 16 x 8): elements c0..c3:
//   row = groupID       for ci with i < 2
//         groupID + 8   for ci with i >= 2
//   col = threadID_in_group * 2 + (i & 0x1)
std::pair<int, int> ptx_c(int lane, int i) {
  const int g = lane >> 2, t = lane % 4;
  return {i < 2 ? g : g + 8, t * 2 + (i & 1)};
}

TEST(cuda_gemm_layout, a_fragments_match_ptx_table) {
  std::set<std::pair<int, int>> seen;
  for (int lane = 0; lane < 32; ++lane)
    for (int r = 0; r < 4; ++r)
      for (int j = 0; j < 4; ++j) {
        const auto [row, col] = ptx_a(lane, 4 * r + j);
        EXPECT_EQ(a_frag_row(lane, r), row) << "lane " << lane << " reg " << r;
        EXPECT_EQ(a_frag_k(lane, r) + j, col) << "lane " << lane << " reg " << r << " byte " << j;
        seen.insert({row, col});
      }
  EXPECT_EQ(seen.size(), 16u * 32u);  // every element of A exactly once
}

TEST(cuda_gemm_layout, b_fragments_match_ptx_table) {
  std::set<std::pair<int, int>> seen;
  for (int lane = 0; lane < 32; ++lane)
    for (int r = 0; r < 2; ++r)
      for (int j = 0; j < 4; ++j) {
        const auto [row, col] = ptx_b(lane, 4 * r + j);
        EXPECT_EQ(b_frag_k(lane, r) + j, row) << "lane " << lane << " reg " << r << " byte " << j;
        EXPECT_EQ(b_frag_col(lane), col) << "lane " << lane;
        seen.insert({row, col});
      }
  EXPECT_EQ(seen.size(), 32u * 8u);
}

TEST(cuda_gemm_layout, c_fragments_match_ptx_table) {
  std::set<std::pair<int, int>> seen;
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < 4; ++i) {
      const auto [row, col] = ptx_c(lane, i);
      EXPECT_EQ(c_frag_row(lane, i), row);
      EXPECT_EQ(c_frag_col(lane, i), col);
      seen.insert({row, col});
    }
  EXPECT_EQ(seen.size(), 16u * 8u);
}

TEST(cuda_gemm_layout, fragment_reads_are_bank_conflict_free) {
  for (int warp = 0; warp < kThreads / 32; ++warp) {
    for (int tm = 0; tm < kTilesM; ++tm)
      for (int r = 0; r < 4; ++r) {
        std::set<int> banks;
        for (int lane = 0; lane < 32; ++lane) banks.insert(a_smem_word(warp, tm, lane, r) % 32);
        EXPECT_EQ(banks.size(), 32u) << "A warp " << warp << " tile " << tm << " reg " << r;
      }
    for (int tn = 0; tn < kTilesN; ++tn)
      for (int r = 0; r < 2; ++r) {
        std::set<int> banks;
        for (int lane = 0; lane < 32; ++lane) banks.insert(b_smem_word(warp, tn, lane, r) % 32);
        EXPECT_EQ(banks.size(), 32u) << "B warp " << warp << " tile " << tn << " reg " << r;
      }
  }
}

TEST(cuda_gemm_layout, loaders_cover_each_slice_once) {
  std::set<std::pair<int, int>> a_bytes, b_values;
  for (int tid = 0; tid < kThreads; ++tid)
    for (int e = 0; e < 16; ++e) {
      a_bytes.insert({a_load_row(tid), 16 * a_load_half(tid) + e});
      b_values.insert({b_load_col(tid), 16 * b_load_half(tid) + e});
    }
  EXPECT_EQ(a_bytes.size(), static_cast<size_t>(kBM * kBK));
  EXPECT_EQ(b_values.size(), static_cast<size_t>(kBN * kBK));
  for (const auto& [row, k] : a_bytes) EXPECT_TRUE(row >= 0 && row < kBM && k >= 0 && k < kBK);
  for (const auto& [col, k] : b_values) EXPECT_TRUE(col >= 0 && col < kBN && k >= 0 && k < kBK);
}

// Word `word` of a byte array, element j in bits 8j .. 8j + 7 (the order
// PTX packs int8 elements into a .b32 register).
uint32_t word_at(const std::vector<uint8_t>& bytes, int word) {
  uint32_t v = 0;
  for (int j = 0; j < 4; ++j) v |= uint32_t{bytes[static_cast<size_t>(4 * word + j)]} << (8 * j);
  return v;
}
int8_t byte_of(uint32_t v, int j) { return static_cast<int8_t>(static_cast<uint8_t>(v >> (8 * j))); }

// One warp-wide mma.m16n8k32 emulated from the PTX tables only: the lanes'
// registers are scattered into the A and B tiles they represent, multiplied,
// and the product is added to the lanes' accumulators.
void emulate_mma(std::array<std::array<int32_t, 4>, 32>& d, const std::array<std::array<uint32_t, 4>, 32>& a,
                 const std::array<std::array<uint32_t, 2>, 32>& b) {
  int a_tile[16][32] = {}, b_tile[32][8] = {};
  for (int lane = 0; lane < 32; ++lane) {
    for (int i = 0; i < 16; ++i) {
      const auto [row, col] = ptx_a(lane, i);
      a_tile[row][col] = byte_of(a[static_cast<size_t>(lane)][static_cast<size_t>(i / 4)], i % 4);
    }
    for (int i = 0; i < 8; ++i) {
      const auto [row, col] = ptx_b(lane, i);
      b_tile[row][col] = byte_of(b[static_cast<size_t>(lane)][static_cast<size_t>(i / 4)], i % 4);
    }
  }
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < 4; ++i) {
      const auto [row, col] = ptx_c(lane, i);
      int32_t s = 0;
      for (int k = 0; k < 32; ++k) s += a_tile[row][k] * b_tile[k][col];
      d[static_cast<size_t>(lane)][static_cast<size_t>(i)] += s;
    }
}

// One block of conv_mma_kernel, emulated on the CPU: `slices` k slices of 32;
// a_at(row, k) and b_at(col, k) give the int8 values the kernel's loaders read
// for block-tile row `row` / column `col` and absolute depth k; each slice is
// stored into sA/sB through the loader mapping, read back by every warp
// through a_smem_word / b_smem_word and multiplied by emulate_mma; finally
// store(row, col, acc) receives each accumulator at c_tile_row / c_tile_col.
template <class AAt, class BAt, class Store>
void emulate_block(int64_t slices, const AAt& a_at, const BAt& b_at, const Store& store) {
  std::vector<std::array<std::array<int32_t, 4>, 32>> acc(
      static_cast<size_t>(kThreads / 32 * kTilesM * kTilesN), std::array<std::array<int32_t, 4>, 32>{});
  const auto acc_at = [&](int warp, int tm, int tn) -> std::array<std::array<int32_t, 4>, 32>& {
    return acc[static_cast<size_t>((warp * kTilesM + tm) * kTilesN + tn)];
  };
  std::vector<uint8_t> s_a(static_cast<size_t>(kBM * kRowBytes)), s_b(static_cast<size_t>(kBN * kRowBytes));
  for (int64_t s = 0; s < slices; ++s) {
    const int64_t k0 = s * kBK;
    std::fill(s_a.begin(), s_a.end(), uint8_t{0xAA});  // padding bytes must never be read as data
    std::fill(s_b.begin(), s_b.end(), uint8_t{0xAA});
    for (int tid = 0; tid < kThreads; ++tid)
      for (int e = 0; e < 16; ++e) {
        const int ra = a_load_row(tid), ka = 16 * a_load_half(tid) + e;
        s_a[static_cast<size_t>(ra * kRowBytes + ka)] = static_cast<uint8_t>(int8_t{a_at(ra, k0 + ka)});
        const int cb = b_load_col(tid), kb = 16 * b_load_half(tid) + e;
        s_b[static_cast<size_t>(cb * kRowBytes + kb)] = static_cast<uint8_t>(int8_t{b_at(cb, k0 + kb)});
      }
    for (int warp = 0; warp < kThreads / 32; ++warp)
      for (int tm = 0; tm < kTilesM; ++tm)
        for (int tn = 0; tn < kTilesN; ++tn) {
          std::array<std::array<uint32_t, 4>, 32> af{};
          std::array<std::array<uint32_t, 2>, 32> bf{};
          for (int lane = 0; lane < 32; ++lane) {
            for (int r = 0; r < 4; ++r)
              af[static_cast<size_t>(lane)][static_cast<size_t>(r)] = word_at(s_a, a_smem_word(warp, tm, lane, r));
            for (int r = 0; r < 2; ++r)
              bf[static_cast<size_t>(lane)][static_cast<size_t>(r)] = word_at(s_b, b_smem_word(warp, tn, lane, r));
          }
          emulate_mma(acc_at(warp, tm, tn), af, bf);
        }
  }
  for (int warp = 0; warp < kThreads / 32; ++warp)
    for (int tm = 0; tm < kTilesM; ++tm)
      for (int tn = 0; tn < kTilesN; ++tn)
        for (int lane = 0; lane < 32; ++lane)
          for (int i = 0; i < 4; ++i)
            store(c_tile_row(warp, tm, lane, i), c_tile_col(warp, tn, lane, i),
                  acc_at(warp, tm, tn)[static_cast<size_t>(lane)][static_cast<size_t>(i)]);
}

// A block tile of a plain matrix product.
void check_block_tile(int slices, uint32_t seed) {
  const int kdepth = slices * kBK;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(-127, 127);
  std::vector<int> a(static_cast<size_t>(kBM * kdepth)), b(static_cast<size_t>(kdepth * kBN));
  for (int& v : a) v = dist(rng);
  for (int& v : b) v = dist(rng);
  const auto A = [&](int64_t m, int64_t k) { return a[static_cast<size_t>(m * kdepth + k)]; };
  const auto B = [&](int64_t k, int64_t p) { return b[static_cast<size_t>(k * kBN + p)]; };
  std::vector<int> written(static_cast<size_t>(kBM * kBN), 0);
  emulate_block(
      slices, [&](int row, int64_t k) { return static_cast<int8_t>(A(row, k)); },
      [&](int col, int64_t k) { return static_cast<int8_t>(B(k, col)); },
      [&](int m, int p, int32_t got) {
        ASSERT_TRUE(m >= 0 && m < kBM && p >= 0 && p < kBN);
        ++written[static_cast<size_t>(m * kBN + p)];
        int64_t want = 0;
        for (int k = 0; k < kdepth; ++k) want += int64_t{A(m, k)} * B(k, p);
        ASSERT_EQ(int64_t{got}, want) << "row " << m << " column " << p;
      });
  for (int v : written) ASSERT_EQ(v, 1);
}

TEST(cuda_gemm_layout, emulated_block_tile_computes_the_product) {
  check_block_tile(1, 1);
  check_block_tile(3, 2);
}

// ---- The whole tensor-core conv2d/dense path, emulated on the CPU ----------
// Every block of every group, with the kernel's own operand functions
// (packed_weight, k_term, pixel_base, b_value, y_offset), compared with the
// reference kernel's output.

Tensor random_tensor(const Shape& shape, int precision, std::mt19937& rng) {
  const int32_t r = static_cast<int32_t>((int64_t{1} << (precision - 1)) - 1);
  std::uniform_int_distribution<int32_t> dist(-r, r);
  Tensor t{shape, precision, std::vector<int32_t>(static_cast<size_t>(shape_size(shape)))};
  for (int32_t& v : t.data) v = dist(rng);
  return t;
}

std::vector<int32_t> emulate_gemm(const ConvGeometry& g, const Tensor& x, const Tensor& w,
                                  const Tensor* bias, int64_t y_size) {
  std::vector<int8_t> packed(static_cast<size_t>(g.groups * g.mpad * g.kpad));
  for (size_t i = 0; i < packed.size(); ++i)
    packed[i] = packed_weight(g, w.data.data(), static_cast<int64_t>(i));
  std::vector<KTerm> terms(static_cast<size_t>(g.k));
  for (int64_t k = 0; k < g.k; ++k) terms[static_cast<size_t>(k)] = k_term(g, k);
  std::vector<int32_t> y(static_cast<size_t>(y_size), INT32_MIN);  // poison
  for (int64_t grp = 0; grp < g.groups; ++grp)
    for (int64_t m0 = 0; m0 < g.mpad; m0 += kBM)
      for (int64_t p0 = 0; p0 < g.npix; p0 += kBN) {
        // As the kernel's a_src + k0 + 16 a_half + e.
        const auto a_at = [&](int row, int64_t k) {
          return packed[static_cast<size_t>(((grp * g.mpad) + m0 + row) * g.kpad + k)];
        };
        const auto b_at = [&](int col, int64_t k) {
          const PixelBase pix = pixel_base(g, grp, p0 + col);
          const int32_t v = pix.ok && k < g.k ? b_value(g, x.data.data(), pix, terms[static_cast<size_t>(k)]) : 0;
          return static_cast<int8_t>(v);
        };
        const auto store = [&](int row, int col, int32_t acc) {
          const int64_t m = m0 + row, p = p0 + col;
          if (m >= g.opg || p >= g.npix) return;
          int64_t v = int64_t{acc};
          if (g.use_bias) v += int64_t{bias->data[static_cast<size_t>(grp * g.opg + m)]};
          y[static_cast<size_t>(y_offset(g, grp, m, p))] = static_cast<int32_t>(v);
        };
        emulate_block(g.kpad / kBK, a_at, b_at, store);
      }
  return y;
}

std::string tup(int64_t a, int64_t b) {
  std::ostringstream os;
  os << "(" << a << ", " << b << ")";
  return os.str();
}

struct EmuConv {
  int64_t n, c, h, w, o, kh, kw;
  int64_t sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1, groups = 1;
  bool bias = true;
};

void check_emulated_conv(const EmuConv& e, uint32_t seed) {
  SCOPED_TRACE(testing::Message() << "conv n" << e.n << " c" << e.c << " h" << e.h << " w" << e.w
                                  << " o" << e.o << " k" << e.kh << "x" << e.kw << " s" << e.sh << ","
                                  << e.sw << " p" << e.ph << "," << e.pw << " d" << e.dh << "," << e.dw
                                  << " g" << e.groups);
  const AttrMap attrs{{"channels", std::to_string(e.o)},  {"kernel_size", tup(e.kh, e.kw)},
                      {"strides", tup(e.sh, e.sw)},       {"padding", tup(e.ph, e.pw)},
                      {"dilation", tup(e.dh, e.dw)},      {"groups", std::to_string(e.groups)},
                      {"use_bias", e.bias ? "true" : "false"}};
  std::mt19937 rng(seed);
  std::vector<Tensor> in{random_tensor({e.n, e.c, e.h, e.w}, 8, rng),
                         random_tensor({e.o, e.c / e.groups, e.kh, e.kw}, 8, rng)};
  if (e.bias) in.push_back(random_tensor({e.o}, 12, rng));
  const Tensor want = run_reference("conv2d", attrs, in).outputs[0];
  Conv2dAttrs a;
  a.channels = e.o, a.kernel_size = {e.kh, e.kw}, a.strides = {e.sh, e.sw};
  a.padding = {e.ph, e.pw}, a.dilation = {e.dh, e.dw}, a.groups = e.groups, a.use_bias = e.bias;
  const ConvGeometry g = conv_geometry(a, in[0].shape, want.shape);
  const std::vector<int32_t> got = emulate_gemm(g, in[0], in[1], e.bias ? &in[2] : nullptr, want.size());
  ASSERT_EQ(got.size(), want.data.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], want.data[i]) << "y flat index " << i;
}

TEST(cuda_gemm_layout, emulated_conv2d_matches_reference) {
  uint32_t seed = 100;
  check_emulated_conv({.n = 1, .c = 3, .h = 5, .w = 6, .o = 8, .kh = 1, .kw = 1}, ++seed);
  check_emulated_conv({.n = 2, .c = 5, .h = 9, .w = 7, .o = 9, .kh = 3, .kw = 3, .ph = 1, .pw = 1}, ++seed);
  check_emulated_conv({.n = 1, .c = 4, .h = 11, .w = 13, .o = 16, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1}, ++seed);
  check_emulated_conv({.n = 1, .c = 3, .h = 12, .w = 12, .o = 10, .kh = 3, .kw = 3, .ph = 1, .pw = 2, .dh = 2, .dw = 3}, ++seed);
  check_emulated_conv({.n = 1, .c = 2, .h = 8, .w = 9, .o = 8, .kh = 2, .kw = 2, .sh = 4, .sw = 5, .ph = 4, .pw = 5, .dh = 3, .dw = 2, .bias = false}, ++seed);
  check_emulated_conv({.n = 1, .c = 1, .h = 2, .w = 2, .o = 8, .kh = 1, .kw = 1, .ph = 3, .pw = 2}, ++seed);  // all-padding windows
  check_emulated_conv({.n = 1, .c = 8, .h = 6, .w = 7, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2}, ++seed);
  check_emulated_conv({.n = 2, .c = 6, .h = 9, .w = 9, .o = 6, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1, .groups = 6}, ++seed);  // depthwise
  check_emulated_conv({.n = 1, .c = 12, .h = 4, .w = 4, .o = 18, .kh = 1, .kw = 1, .groups = 3, .bias = false}, ++seed);
  // K = 57 * 9 = 513 (not a multiple of 32, 17 slices); then more than one
  // row block (O = 130, N OH OW = 200) and four column blocks (450 pixels).
  check_emulated_conv({.n = 1, .c = 57, .h = 5, .w = 5, .o = 9, .kh = 3, .kw = 3, .ph = 1, .pw = 1}, ++seed);
  check_emulated_conv({.n = 2, .c = 3, .h = 10, .w = 10, .o = 130, .kh = 3, .kw = 3, .ph = 1, .pw = 1}, ++seed);
  check_emulated_conv({.n = 1, .c = 2, .h = 3, .w = 150, .o = 8, .kh = 1, .kw = 3, .pw = 1, .bias = false}, ++seed);
}

TEST(cuda_gemm_layout, emulated_dense_matches_reference) {
  uint32_t seed = 200;
  for (const auto& [m, k, units] : std::vector<std::array<int64_t, 3>>{
           {1, 1, 8}, {3, 40, 18}, {5, 33, 130}, {129, 65, 9}, {2, 300, 16}}) {
    for (bool bias : {true, false}) {
      SCOPED_TRACE(testing::Message() << "dense m" << m << " k" << k << " units" << units << " bias " << bias);
      std::mt19937 rng(++seed);
      std::vector<Tensor> in{random_tensor({m, k}, 8, rng), random_tensor({units, k}, 8, rng)};
      if (bias) in.push_back(random_tensor({units}, 10, rng));
      const Tensor want =
          run_reference("dense", {{"units", std::to_string(units)}, {"use_bias", bias ? "1" : "0"}}, in).outputs[0];
      const ConvGeometry g = dense_geometry(m, k, units, bias);
      const std::vector<int32_t> got = emulate_gemm(g, in[0], in[1], bias ? &in[2] : nullptr, want.size());
      ASSERT_EQ(got, want.data);
    }
  }
}

// Generated conv2d and dense cases (oracle/gen: every attribute variant,
// tile-boundary dims, precisions <= 8 for x and w), emulated whatever their
// eligibility for the tensor-core path on a device.
void check_emulated_generated(const std::string& op, int count, uint64_t salt) {
  int found = 0;
  for (int seed = 0; seed < count; ++seed) {
    gen::SeededChooser c(static_cast<uint64_t>(seed) * 7919 + salt);
    const std::optional<gen::GeneratedCase> g = gen::generate_case(op, c);
    if (!g) continue;
    ++found;
    const std::vector<Tensor> in = gen::input_values(c, *g, seed % 3 == 0);
    const Tensor want = run_reference(op, g->attrs, in).outputs[0];
    const bool bias = in.size() == 3;
    const ConvGeometry geo =
        op == "conv2d"
            ? conv_geometry(std::any_cast<const Conv2dAttrs&>(g->validated.attrs), in[0].shape, want.shape)
            : dense_geometry(in[0].shape[0], in[0].shape[1], in[1].shape[0], bias);
    const std::vector<int32_t> got = emulate_gemm(geo, in[0], in[1], bias ? &in[2] : nullptr, want.size());
    ASSERT_EQ(got, want.data) << op << " seed " << seed;
  }
  EXPECT_GE(found, count / 2) << op << ": too few generated cases";
}

TEST(cuda_gemm_layout, emulated_generated_cases_match_reference) {
  check_emulated_generated("conv2d", 150, 11);
  check_emulated_generated("dense", 150, 12);
}

TEST(cuda_gemm_layout, round_up) {
  EXPECT_EQ(round_up(1, 32), 32);
  EXPECT_EQ(round_up(32, 32), 32);
  EXPECT_EQ(round_up(33, 32), 64);
  EXPECT_EQ(round_up(127, 128), 128);
}

}  // namespace
}  // namespace cvm::cuda::gemm
