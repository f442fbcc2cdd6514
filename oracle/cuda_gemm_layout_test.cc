// The CUDA int8 GEMM's index arithmetic (cuda/gemm_int8.h), checked on the
// CPU (no GPU needed): the fragment functions against an independent
// transcription of the PTX ISA tables for mma.m16n8k32 with .s8 operands;
// the ldmatrix.x4 row addresses (a_ldsm_byte, b_ldsm_byte) against an
// independent transcription of ldmatrix, giving exactly those fragments,
// and bank-conflict free; the cp.async loaders' coverage of a stage; the
// padded channel layout, the chunk table, the operand layouts (x8, packed
// weights) and split_k; and an emulation of the tensor-core path: one block
// tile (the loaders' stores into a poisoned stage, every warp's ldmatrix
// and mma emulated from the PTX tables alone,
// the epilogue's c_tile_row / c_tile_col) against a plain matrix product,
// then every block of whole conv2d and dense applications (x8_value,
// packed_weight, chunk_at, pixel_base, chunk_source, y_offset, split-K with
// wrapping adds into a zeroed y) against the reference kernel. Everything
// that depends on the slice shape runs for both: one k-step of 32 per
// pipeline stage and kDeepSteps (use_deep_slices).
#include <gtest/gtest.h>

#include <algorithm>
#include <any>
#include <array>
#include <climits>
#include <cstdint>
#include <cstring>
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

// ldmatrix.sync.aligned.m8n8.x4.shared.b16 (PTX ISA, "ldmatrix"): four 8 x 8
// matrices of 16-bit elements, each row 8 elements = 16 contiguous bytes at
// the address one thread supplies: threads 0-7 give rows 0..7 of matrix 0,
// threads 8-15 of matrix 1, 16-23 of matrix 2, 24-31 of matrix 3.
// Destination register i of lane l receives matrix i's elements (row l / 4,
// columns 2 (l % 4) and 2 (l % 4) + 1), i.e. the 32-bit word at bytes
// 4 (l % 4) .. 4 (l % 4) + 3 of that row (element 2 (l % 4) in the low half).
// Returned here as the byte offset of each register's word, given the
// lanes' row addresses (byte offsets).
using RowAddrs = std::array<int, 32>;
using LdsmWords = std::array<std::array<int, 4>, 32>;
LdsmWords ldmatrix_x4(const RowAddrs& row_addr) {
  LdsmWords word{};
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < 4; ++i)
      word[static_cast<size_t>(lane)][static_cast<size_t>(i)] =
          row_addr[static_cast<size_t>(8 * i + lane / 4)] + 4 * (lane % 4);
  return word;
}
RowAddrs a_row_addrs(int bm, int warp, int tm, int steps, int kk) {
  RowAddrs r{};
  for (int lane = 0; lane < 32; ++lane) r[static_cast<size_t>(lane)] = a_ldsm_byte(bm, warp, tm, lane, steps, kk);
  return r;
}
RowAddrs b_row_addrs(int warp, int tp, int steps, int kk) {
  RowAddrs r{};
  for (int lane = 0; lane < 32; ++lane) r[static_cast<size_t>(lane)] = b_ldsm_byte(warp, tp, lane, steps, kk);
  return r;
}
// The slice shapes the kernel has: one k-step per stage, or kDeepSteps.
constexpr std::array<int, 2> kStepCounts{1, kDeepSteps};

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

// Every row address of an ldmatrix at k-step kk into a stage with `rows`
// rows of row_bytes(steps): 16-byte aligned (ldmatrix requires it), inside
// the stage, and inside the kBK data bytes of k-step kk of one row (never the
// padding, never another k-step).
void check_row_addrs(const RowAddrs& addrs, int rows, int steps, int kk, const std::string& what) {
  const int rb = row_bytes(steps);
  for (int lane = 0; lane < 32; ++lane) {
    const int a = addrs[static_cast<size_t>(lane)];
    EXPECT_EQ(a % 16, 0) << what << " lane " << lane;
    EXPECT_TRUE(a >= 0 && a / rb < rows) << what << " lane " << lane << " address " << a;
    EXPECT_GE(a % rb, kBK * kk) << what << " lane " << lane << " address " << a;
    EXPECT_LE(a % rb + 16, kBK * (kk + 1)) << what << " lane " << lane << " address " << a;
  }
}

// ldmatrix.x4 through a_ldsm_byte gives, in registers 0..3, exactly the A
// fragments a0..a3 (PTX table) of the 16 x 32 tile at sA rows
// warp_row0 + 16 tm .. + 15.
TEST(cuda_gemm_layout, a_ldmatrix_gives_a_fragments) {
  for (int steps : kStepCounts)
    for (int kk = 0; kk < steps; ++kk)
      for (int bm : {64, 128})
        for (int warp = 0; warp < kThreads / 32; ++warp)
          for (int tm = 0; tm < tiles_m(bm); ++tm) {
            const std::string what = "steps " + std::to_string(steps) + " kk " + std::to_string(kk) + " bm " +
                                     std::to_string(bm) + " warp " + std::to_string(warp) + " tm " +
                                     std::to_string(tm);
            const RowAddrs addrs = a_row_addrs(bm, warp, tm, steps, kk);
            check_row_addrs(addrs, bm, steps, kk, what);
            const LdsmWords words = ldmatrix_x4(addrs);
            for (int lane = 0; lane < 32; ++lane)
              for (int r = 0; r < 4; ++r)
                for (int j = 0; j < 4; ++j) {
                  const auto [row, col] = ptx_a(lane, 4 * r + j);
                  const int want = (warp_row0(bm, warp) + 16 * tm + row) * row_bytes(steps) + kBK * kk + col;
                  ASSERT_EQ(words[static_cast<size_t>(lane)][static_cast<size_t>(r)] + j, want)
                      << what << " lane " << lane << " reg " << r << " byte " << j;
                }
          }
}

// ldmatrix.x4 through b_ldsm_byte gives, in registers 0..3, the B fragments
// b0, b1 of mma tile 2 tp and b0, b1 of tile 2 tp + 1 (PTX table), tile tn
// being sB rows (columns of B) warp_col0 + 8 tn .. + 7.
TEST(cuda_gemm_layout, b_ldmatrix_gives_b_fragment_pairs) {
  for (int steps : kStepCounts)
    for (int kk = 0; kk < steps; ++kk)
      for (int warp = 0; warp < kThreads / 32; ++warp)
        for (int tp = 0; tp < kTilesN / 2; ++tp) {
          const std::string what = "steps " + std::to_string(steps) + " kk " + std::to_string(kk) + " warp " +
                                   std::to_string(warp) + " tp " + std::to_string(tp);
          const RowAddrs addrs = b_row_addrs(warp, tp, steps, kk);
          check_row_addrs(addrs, kBN, steps, kk, what);
          const LdsmWords words = ldmatrix_x4(addrs);
          for (int lane = 0; lane < 32; ++lane)
            for (int r = 0; r < 4; ++r)
              for (int j = 0; j < 4; ++j) {
                const int tn = 2 * tp + r / 2;
                const auto [krow, col] = ptx_b(lane, 4 * (r % 2) + j);
                const int want = (warp_col0(warp) + 8 * tn + col) * row_bytes(steps) + kBK * kk + krow;
                ASSERT_EQ(words[static_cast<size_t>(lane)][static_cast<size_t>(r)] + j, want)
                    << what << " lane " << lane << " reg " << r << " byte " << j;
              }
        }
}

// Each ldmatrix phase (the 8 rows of one matrix, 128 bytes) hits 32
// distinct 4-byte banks.
void check_phases_conflict_free(const RowAddrs& addrs, const std::string& what) {
  for (int i = 0; i < 4; ++i) {
    std::set<int> banks;
    for (int row = 0; row < 8; ++row)
      for (int q = 0; q < 4; ++q) banks.insert((addrs[static_cast<size_t>(8 * i + row)] / 4 + q) % 32);
    EXPECT_EQ(banks.size(), 32u) << what << " matrix " << i;
  }
}

TEST(cuda_gemm_layout, ldmatrix_phases_are_bank_conflict_free) {
  for (int steps : kStepCounts)
    for (int kk = 0; kk < steps; ++kk) {
      const std::string at = "steps " + std::to_string(steps) + " kk " + std::to_string(kk);
      for (int bm : {64, 128})
        for (int warp = 0; warp < kThreads / 32; ++warp)
          for (int tm = 0; tm < tiles_m(bm); ++tm)
            check_phases_conflict_free(a_row_addrs(bm, warp, tm, steps, kk),
                                       at + " A bm " + std::to_string(bm) + " warp " + std::to_string(warp) +
                                           " tm " + std::to_string(tm));
      for (int warp = 0; warp < kThreads / 32; ++warp)
        for (int tp = 0; tp < kTilesN / 2; ++tp)
          check_phases_conflict_free(b_row_addrs(warp, tp, steps, kk),
                                     at + " B warp " + std::to_string(warp) + " tp " + std::to_string(tp));
    }
}

TEST(cuda_gemm_layout, loaders_cover_each_slice_once) {
  for (int steps : kStepCounts) {
    const int depth = slice_depth(steps);
    for (int bm : {64, 128}) {
      std::vector<int> a_count(static_cast<size_t>(bm * depth), 0);
      for (int tid = 0; tid < kThreads; ++tid)
        for (int i = 0; i < a_pieces_per_thread(bm, steps); ++i) {
          const int piece = tid + kThreads * i;
          if (piece >= a_pieces(bm, steps)) continue;
          const int row = a_piece_row(piece, steps), part = a_piece_part(piece, steps);
          ASSERT_TRUE(row >= 0 && row < bm && part >= 0 && 16 * (part + 1) <= depth)
              << "steps " << steps << " bm " << bm << " tid " << tid << " i " << i;
          for (int e = 0; e < 16; ++e) ++a_count[static_cast<size_t>(row * depth + 16 * part + e)];
        }
      for (size_t i = 0; i < a_count.size(); ++i)
        EXPECT_EQ(a_count[i], 1) << "steps " << steps << " bm " << bm << " A byte " << i;
    }
    for (int chunk : {4, 8, 16}) {
      EXPECT_EQ(chunks_per_thread(chunk, steps) * kThreads * chunk, kBN * depth) << "chunk " << chunk;
      std::vector<int> b_count(static_cast<size_t>(kBN * depth), 0);
      for (int tid = 0; tid < kThreads; ++tid)
        for (int i = 0; i < chunks_per_thread(chunk, steps); ++i) {
          const int col = b_load_col(tid), j = b_load_chunk(tid, i, chunk, steps);
          ASSERT_TRUE(col >= 0 && col < kBN && j >= 0 && (j + 1) * chunk <= depth)
              << "steps " << steps << " chunk " << chunk << " tid " << tid << " i " << i;
          for (int e = 0; e < chunk; ++e) ++b_count[static_cast<size_t>(col * depth + j * chunk + e)];
        }
      for (size_t i = 0; i < b_count.size(); ++i)
        EXPECT_EQ(b_count[i], 1) << "steps " << steps << " chunk " << chunk << " B byte " << i;
    }
  }
}

TEST(cuda_gemm_layout, padded_channels_and_chunks) {
  for (int64_t icg = 1; icg <= 300; ++icg) {
    const int64_t icgp = padded_channels(icg), chunk = chunk_bytes_for(icgp);
    SCOPED_TRACE(testing::Message() << "icg " << icg << " icgp " << icgp << " chunk " << chunk);
    EXPECT_GE(icgp, icg);
    EXPECT_TRUE(icgp == 4 || icgp == 8 || icgp % 16 == 0);
    EXPECT_LT(icgp, icg + 16);  // no more than one 16-byte chunk of padding
    EXPECT_TRUE(chunk == 4 || chunk == 8 || chunk == 16);
    EXPECT_EQ(icgp % chunk, 0);
    EXPECT_EQ(kBK % chunk, 0);
  }
  EXPECT_EQ(padded_channels(1), 4);
  EXPECT_EQ(padded_channels(4), 4);
  EXPECT_EQ(padded_channels(5), 8);
  EXPECT_EQ(padded_channels(8), 8);
  EXPECT_EQ(padded_channels(9), 16);
  EXPECT_EQ(padded_channels(17), 32);
  EXPECT_EQ(padded_channels(48), 48);
  EXPECT_EQ(chunk_bytes_for(4), 4);
  EXPECT_EQ(chunk_bytes_for(8), 8);
  EXPECT_EQ(chunk_bytes_for(48), 16);
}

// The chunk table (chunk_at) against the depth order k = (u KW + v) ICGP + c:
// every chunk inside one window position, zero chunks from KP on.
TEST(cuda_gemm_layout, chunk_table_follows_depth_order) {
  for (int64_t icg : {1, 3, 4, 5, 8, 12, 20, 33, 48}) {
    Conv2dAttrs a;
    a.channels = 8, a.kernel_size = {3, 2}, a.dilation = {2, 3};
    const ConvGeometry g = conv_geometry(a, Shape{1, icg, 9, 9}, Shape{1, 8, 5, 6});
    SCOPED_TRACE(testing::Message() << "icg " << icg);
    EXPECT_EQ(g.icgp, padded_channels(icg));
    EXPECT_EQ(g.kp, 6 * g.icgp);
    EXPECT_EQ(g.kpad % kBK, 0);
    EXPECT_EQ(g.kpad % g.chunk, 0);
    for (int64_t j = 0; j < g.kpad / g.chunk; ++j) {
      const Chunk ch = chunk_at(g, j);
      const int64_t k = j * g.chunk;
      if (k >= g.kp) {
        EXPECT_EQ(ch.valid, 0) << "chunk " << j;
        continue;
      }
      const int64_t uv = k / g.icgp, u = uv / 2, v = uv % 2;
      EXPECT_EQ(ch.valid, 1) << "chunk " << j;
      EXPECT_EQ(ch.du, u * 2) << "chunk " << j;
      EXPECT_EQ(ch.dv, v * 3) << "chunk " << j;
      EXPECT_EQ(ch.c, k % g.icgp) << "chunk " << j;
      EXPECT_LE(ch.c + g.chunk, g.icgp) << "chunk " << j;
    }
  }
}

Tensor random_tensor(const Shape& shape, int precision, std::mt19937& rng) {
  const int32_t r = static_cast<int32_t>((int64_t{1} << (precision - 1)) - 1);
  std::uniform_int_distribution<int32_t> dist(-r, r);
  Tensor t{shape, precision, std::vector<int32_t>(static_cast<size_t>(shape_size(shape)))};
  for (int32_t& v : t.data) v = dist(rng);
  return t;
}

// x8 and the packed weights against their layouts, transcribed here: the
// padding (channels c >= ICG, rows m >= OPG, depth k >= KP) is zero. (The
// emulated products below cannot see non-zero padding on one side only:
// it meets zeros on the other.)
TEST(cuda_gemm_layout, operands_follow_their_layouts) {
  std::mt19937 rng(7);
  for (const auto& [c, groups, o, kh, kw] : std::vector<std::array<int64_t, 5>>{
           {3, 1, 8, 3, 3}, {10, 2, 24, 3, 2}, {60, 3, 210, 1, 3}, {12, 3, 18, 1, 1}, {48, 1, 9, 2, 2}}) {
    SCOPED_TRACE(testing::Message() << "c " << c << " groups " << groups << " o " << o << " k " << kh << "x" << kw);
    Conv2dAttrs a;
    a.channels = o, a.kernel_size = {kh, kw}, a.groups = groups;
    const int64_t n = 2, h = 4, w = 3;
    const ConvGeometry g = conv_geometry(a, Shape{n, c, h, w}, Shape{n, o, h - kh + 1, w - kw + 1});
    const Tensor x = random_tensor({n, c, h, w}, 8, rng);
    const Tensor wt = random_tensor({o, c / groups, kh, kw}, 8, rng);
    ASSERT_EQ(x8_bytes(g), n * h * w * groups * g.icgp);
    for (int64_t in = 0; in < n; ++in)
      for (int64_t ih = 0; ih < h; ++ih)
        for (int64_t iw = 0; iw < w; ++iw)
          for (int64_t grp = 0; grp < groups; ++grp)
            for (int64_t ci = 0; ci < g.icgp; ++ci) {
              const int64_t idx = ((in * h + ih) * w + iw) * groups * g.icgp + grp * g.icgp + ci;
              const int32_t want = ci < g.icg ? x.at({in, grp * g.icg + ci, ih, iw}) : 0;
              ASSERT_EQ(x8_value(g, x.data.data(), idx), want) << "x8 index " << idx;
            }
    for (int64_t grp = 0; grp < groups; ++grp)
      for (int64_t m = 0; m < g.mpad; ++m)
        for (int64_t k = 0; k < g.kpad; ++k) {
          const int64_t u = k / g.icgp / kw, v = k / g.icgp % kw, ci = k % g.icgp;
          const int32_t want = m < g.opg && k < g.kp && ci < g.icg ? wt.at({grp * g.opg + m, ci, u, v}) : 0;
          const int64_t idx = (grp * g.mpad + m) * g.kpad + k;
          ASSERT_EQ(packed_weight(g, wt.data.data(), idx), want) << "packed index " << idx;
        }
  }
}

TEST(cuda_gemm_layout, split_k_ranges) {
  for (int64_t slices = 1; slices <= 200; ++slices)
    for (int64_t blocks = 1; blocks <= 40; ++blocks)
      for (int64_t target : {0, 1, 8, 64, 132, 264, 1 << 20}) {
        const SplitK s = split_k(slices, blocks, target);
        SCOPED_TRACE(testing::Message() << "slices " << slices << " blocks " << blocks << " target " << target
                                        << " -> splits " << s.splits << " per_split " << s.per_split);
        ASSERT_GE(s.splits, 1);
        ASSERT_GE(s.per_split, 1);
        ASSERT_GE(s.splits * s.per_split, slices);        // every slice in some split
        ASSERT_LT((s.splits - 1) * s.per_split, slices);  // no empty split
        if (s.splits == 1) {
          ASSERT_EQ(s.per_split, slices);
        } else {
          ASSERT_LT(blocks, target);
          ASSERT_GE(s.per_split, kMinSplitSlices);  // every split but the last has per_split slices
        }
        // The critical path (waves x slices per block) is minimal over every
        // split count allowed, and no split is chosen without a gain.
        if (target > 0) {
          const auto cost = [&](int64_t splits, int64_t per) {
            return (blocks * splits + target - 1) / target * (per + kSplitOverhead);
          };
          const int64_t chosen = cost(s.splits, s.per_split);
          if (s.splits > 1) {
            ASSERT_LT(chosen, cost(1, slices));
          }
          if (blocks < target) {
            for (int64_t want = 2; want <= slices / kMinSplitSlices; ++want) {
              const int64_t per = (slices + want - 1) / want;
              ASSERT_LE(chosen, cost((slices + per - 1) / per, per)) << "want " << want;
            }
          }
        }
        if (blocks >= target) {
          ASSERT_EQ(s.splits, 1);
        }
        if (slices < 2 * kMinSplitSlices) {
          ASSERT_EQ(s.splits, 1);
        }
      }
  // Several splits when the grid is small and the depth large.
  EXPECT_EQ(split_k(64, 1, 1 << 20).splits, 16);
  EXPECT_EQ(split_k(64, 2, 8).splits, 4);
  EXPECT_EQ(split_k(64, 8, 8).splits, 1);
  // ResNet-18's last 3x3 layer at batch 64 on 132 SMs (2 blocks each): 100
  // tiles, 144 slices. Three splits would need two waves of 48 slices (plus
  // the overhead: 112); five give two waves of 29 (74); 29 splits, eleven
  // waves of 5 (143).
  EXPECT_EQ(split_k(144, 100, 264).splits, 5);
}

// The 32-bit word at byte offset `at` of a byte array, element j in bits
// 8j .. 8j + 7 (the order PTX packs int8 elements into a .b32 register).
uint32_t word_at(const std::vector<uint8_t>& bytes, int at) {
  uint32_t v = 0;
  for (int j = 0; j < 4; ++j) v |= uint32_t{bytes[static_cast<size_t>(at + j)]} << (8 * j);
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

// One block of conv_mma_kernel<bm, chunk, steps>, emulated on the CPU over
// the k slices [s_begin, s_begin + n_slices). For each slice k0 =
// slice_depth(steps) s, a stage poisoned with 0xAA (bytes the loaders do not
// write must never be read as data) is filled through the loader mappings:
// each thread calls load_a(row, part, k0, dst) for each of its 16-byte A
// pieces and load_b(col, j, k0, dst) for each of its B chunks (`chunk`
// bytes), dst pointing into the stage where the cp.async lands. For each
// k-step kk every warp then reads its fragments with ldmatrix (emulated)
// through a_ldsm_byte / b_ldsm_byte and multiplies them with emulate_mma;
// finally store(row, col, acc) receives each accumulator at c_tile_row /
// c_tile_col.
using Acc = std::array<std::array<int32_t, 4>, 32>;
template <class LoadA, class LoadB, class Store>
void emulate_block(int bm, int chunk, int steps, int64_t s_begin, int64_t n_slices, const LoadA& load_a,
                   const LoadB& load_b, const Store& store) {
  const int tms = tiles_m(bm), warps = kThreads / 32;
  std::vector<Acc> acc(static_cast<size_t>(warps * tms * kTilesN), Acc{});
  const auto acc_at = [&](int warp, int tm, int tn) -> Acc& {
    return acc[static_cast<size_t>((warp * tms + tm) * kTilesN + tn)];
  };
  const int rb = row_bytes(steps), depth = slice_depth(steps);
  std::vector<uint8_t> s_a(static_cast<size_t>(bm * rb)), s_b(static_cast<size_t>(kBN * rb));
  // How often each stage byte was written in this slice: every data byte
  // (the first `depth` of a row) exactly once, the padding never.
  std::vector<int> a_writes(s_a.size()), b_writes(s_b.size());
  const auto check_writes = [&](const std::vector<int>& writes, const char* what) {
    for (size_t i = 0; i < writes.size(); ++i)
      ASSERT_EQ(writes[i], static_cast<int>(i % static_cast<size_t>(rb)) < depth ? 1 : 0)
          << what << " stage byte " << i;
  };
  for (int64_t s = s_begin; s < s_begin + n_slices; ++s) {
    const int64_t k0 = s * depth;
    std::fill(s_a.begin(), s_a.end(), uint8_t{0xAA});
    std::fill(s_b.begin(), s_b.end(), uint8_t{0xAA});
    std::fill(a_writes.begin(), a_writes.end(), 0);
    std::fill(b_writes.begin(), b_writes.end(), 0);
    for (int tid = 0; tid < kThreads; ++tid) {
      for (int i = 0; i < a_pieces_per_thread(bm, steps); ++i) {
        const int piece = tid + kThreads * i;
        if (piece >= a_pieces(bm, steps)) continue;
        const int row = a_piece_row(piece, steps), part = a_piece_part(piece, steps);
        const int at = row * rb + 16 * part;
        load_a(row, part, k0, &s_a[static_cast<size_t>(at)]);
        for (int e = 0; e < 16; ++e) ++a_writes[static_cast<size_t>(at + e)];
      }
      for (int i = 0; i < chunks_per_thread(chunk, steps); ++i) {
        const int col = b_load_col(tid), j = b_load_chunk(tid, i, chunk, steps);
        const int at = col * rb + j * chunk;
        load_b(col, j, k0, &s_b[static_cast<size_t>(at)]);
        for (int e = 0; e < chunk; ++e) ++b_writes[static_cast<size_t>(at + e)];
      }
    }
    check_writes(a_writes, "A");
    check_writes(b_writes, "B");
    if (testing::Test::HasFatalFailure()) return;
    for (int kk = 0; kk < steps; ++kk)
    for (int warp = 0; warp < warps; ++warp) {
      std::vector<std::array<std::array<uint32_t, 4>, 32>> af(static_cast<size_t>(tms));
      std::array<std::array<std::array<uint32_t, 2>, 32>, kTilesN> bf{};
      for (int tm = 0; tm < tms; ++tm) {
        const LdsmWords words = ldmatrix_x4(a_row_addrs(bm, warp, tm, steps, kk));
        for (int lane = 0; lane < 32; ++lane)
          for (int r = 0; r < 4; ++r)
            af[static_cast<size_t>(tm)][static_cast<size_t>(lane)][static_cast<size_t>(r)] =
                word_at(s_a, words[static_cast<size_t>(lane)][static_cast<size_t>(r)]);
      }
      for (int tp = 0; tp < kTilesN / 2; ++tp) {
        const LdsmWords words = ldmatrix_x4(b_row_addrs(warp, tp, steps, kk));
        for (int lane = 0; lane < 32; ++lane)
          for (int r = 0; r < 4; ++r)
            bf[static_cast<size_t>(2 * tp + r / 2)][static_cast<size_t>(lane)][static_cast<size_t>(r % 2)] =
                word_at(s_b, words[static_cast<size_t>(lane)][static_cast<size_t>(r)]);
      }
      for (int tm = 0; tm < tms; ++tm)
        for (int tn = 0; tn < kTilesN; ++tn)
          emulate_mma(acc_at(warp, tm, tn), af[static_cast<size_t>(tm)], bf[static_cast<size_t>(tn)]);
    }
  }
  for (int warp = 0; warp < warps; ++warp)
    for (int tm = 0; tm < tms; ++tm)
      for (int tn = 0; tn < kTilesN; ++tn)
        for (int lane = 0; lane < 32; ++lane)
          for (int i = 0; i < 4; ++i)
            store(c_tile_row(bm, warp, tm, lane, i), c_tile_col(warp, tn, lane, i),
                  acc_at(warp, tm, tn)[static_cast<size_t>(lane)][static_cast<size_t>(i)]);
}

// A block tile of a plain matrix product (bm x depth, depth x kBN; depth =
// slices slice_depth(steps)).
void check_block_tile(int bm, int chunk, int steps, int slices, uint32_t seed) {
  SCOPED_TRACE(testing::Message() << "bm " << bm << " chunk " << chunk << " steps " << steps << " slices "
                                  << slices);
  const int kdepth = slices * slice_depth(steps);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(-128, 127);
  std::vector<int8_t> a(static_cast<size_t>(bm * kdepth)), b(static_cast<size_t>(kdepth * kBN));
  for (int8_t& v : a) v = static_cast<int8_t>(dist(rng));
  for (int8_t& v : b) v = static_cast<int8_t>(dist(rng));
  const auto A = [&](int64_t m, int64_t k) { return a[static_cast<size_t>(m * kdepth + k)]; };
  const auto B = [&](int64_t k, int64_t p) { return b[static_cast<size_t>(k * kBN + p)]; };
  std::vector<int> written(static_cast<size_t>(bm * kBN), 0);
  emulate_block(
      bm, chunk, steps, 0, slices,
      [&](int row, int part, int64_t k0, uint8_t* dst) {
        for (int e = 0; e < 16; ++e) dst[e] = static_cast<uint8_t>(A(row, k0 + 16 * part + e));
      },
      [&](int col, int j, int64_t k0, uint8_t* dst) {
        for (int e = 0; e < chunk; ++e) dst[e] = static_cast<uint8_t>(B(k0 + j * chunk + e, col));
      },
      [&](int m, int p, int32_t got) {
        ASSERT_TRUE(m >= 0 && m < bm && p >= 0 && p < kBN) << "row " << m << " column " << p;
        ++written[static_cast<size_t>(m * kBN + p)];
        int64_t want = 0;
        for (int k = 0; k < kdepth; ++k) want += int64_t{A(m, k)} * B(k, p);
        ASSERT_EQ(int64_t{got}, want) << "row " << m << " column " << p;
      });
  for (int v : written) ASSERT_EQ(v, 1);
}

TEST(cuda_gemm_layout, emulated_block_tile_computes_the_product) {
  uint32_t seed = 0;
  for (int steps : kStepCounts)
    for (int bm : {64, 128})
      for (int chunk : {4, 8, 16})
        for (int slices : {1, 3}) check_block_tile(bm, chunk, steps, slices, ++seed);
}

// ---- The whole tensor-core conv2d/dense path, emulated on the CPU ----------
// x8 (x8_value), the packed weights (packed_weight), every split of every
// block of every group with the kernel's own operand functions (chunk_at,
// pixel_base, chunk_source, y_offset), compared with the reference kernel's
// output.

// Split-K as the kernel runs it, with split_k's `target_blocks` (0: one
// split; large: as many as split_k allows), in slices of `steps` k-steps.
// Returns y; `splits` receives the number of splits.
std::vector<int32_t> emulate_gemm(const ConvGeometry& g, const Tensor& x, const Tensor& w, const Tensor* bias,
                                  int64_t y_size, int64_t target_blocks, int steps, int64_t* splits = nullptr) {
  const int bm = static_cast<int>(g.bm), chunk = static_cast<int>(g.chunk);
  EXPECT_TRUE(bm == 64 || bm == 128);
  EXPECT_EQ(g.mpad % g.bm, 0);
  EXPECT_EQ(g.kpad % slice_depth(steps), 0);
  std::vector<int8_t> x8(static_cast<size_t>(x8_bytes(g)));
  for (size_t i = 0; i < x8.size(); ++i) x8[i] = x8_value(g, x.data.data(), static_cast<int64_t>(i));
  std::vector<int8_t> packed(static_cast<size_t>(g.groups * g.mpad * g.kpad));
  for (size_t i = 0; i < packed.size(); ++i) packed[i] = packed_weight(g, w.data.data(), static_cast<int64_t>(i));

  const int64_t slices = g.kpad / slice_depth(steps);
  const int64_t blocks = (g.npix + kBN - 1) / kBN * (g.mpad / g.bm) * g.groups;
  const SplitK sk = split_k(slices, blocks, target_blocks);
  if (splits != nullptr) *splits = sk.splits;
  // Several splits add into a zeroed y; one split stores into a poisoned y.
  std::vector<int32_t> y(static_cast<size_t>(y_size), sk.splits > 1 ? 0 : INT32_MIN);
  std::vector<int64_t> written(static_cast<size_t>(y_size), 0);
  for (int64_t split = 0; split < sk.splits; ++split) {
    const int64_t s_begin = split * sk.per_split;
    const int64_t n_slices = std::min(slices, s_begin + sk.per_split) - s_begin;
    EXPECT_GE(n_slices, 1) << "split " << split;
    for (int64_t grp = 0; grp < g.groups; ++grp)
      for (int64_t m0 = 0; m0 < g.mpad; m0 += g.bm)
        for (int64_t p0 = 0; p0 < g.npix; p0 += kBN) {
          // As the kernel's a_src + k0: 16 bytes of packed row m0 + row.
          const auto load_a = [&](int row, int part, int64_t k0, uint8_t* dst) {
            const int64_t src = ((grp * g.mpad) + m0 + row) * g.kpad + 16 * part + k0;
            ASSERT_TRUE(src % 16 == 0 && src >= 0 && src + 16 <= static_cast<int64_t>(packed.size())) << src;
            std::memcpy(dst, &packed[static_cast<size_t>(src)], 16);
          };
          // As the kernel's chunk_source(pixel_base(p0 + col), chunk k0 / chunk + j).
          const auto load_b = [&](int col, int j, int64_t k0, uint8_t* dst) {
            const PixelBase pix = pixel_base(g, p0 + col);
            const Chunk ch = chunk_at(g, k0 / chunk + j);
            const int64_t src = chunk_source(g, pix, ch, grp);
            if (src < 0) {
              ASSERT_EQ(src, -1);
              std::memset(dst, 0, static_cast<size_t>(chunk));
              return;
            }
            // cp.async needs a chunk-aligned source; the chunk stays in
            // this group's channels of one pixel.
            ASSERT_TRUE(src % chunk == 0 && src + chunk <= static_cast<int64_t>(x8.size())) << src;
            ASSERT_EQ(src % g.cpad / g.icgp, grp) << src;
            ASSERT_LE(src % g.icgp + chunk, g.icgp) << src;
            std::memcpy(dst, &x8[static_cast<size_t>(src)], static_cast<size_t>(chunk));
          };
          const auto store = [&](int row, int col, int32_t acc) {
            const int64_t m = m0 + row, p = p0 + col;
            if (m >= g.opg || p >= g.npix) return;
            const int64_t off = y_offset(g, grp, m, p);
            ASSERT_TRUE(off >= 0 && off < y_size) << off;
            ++written[static_cast<size_t>(off)];
            const int32_t b = g.use_bias ? bias->data[static_cast<size_t>(grp * g.opg + m)] : 0;
            int32_t& dst = y[static_cast<size_t>(off)];
            if (sk.splits > 1) {  // atomicAdd: modulo 2^32, the bias by split 0 only
              const uint32_t v = static_cast<uint32_t>(acc) + (split == 0 ? static_cast<uint32_t>(b) : 0u);
              dst = static_cast<int32_t>(static_cast<uint32_t>(dst) + v);
            } else {
              dst = static_cast<int32_t>(int64_t{acc} + int64_t{b});
            }
          };
          emulate_block(bm, chunk, steps, s_begin, n_slices, load_a, load_b, store);
        }
  }
  for (size_t i = 0; i < written.size(); ++i) EXPECT_EQ(written[i], sk.splits) << "y flat index " << i;
  return y;
}

// split_k targets: no split-K, and as many splits as split_k allows.
constexpr int64_t kNoSplit = 0, kManySplits = int64_t{1} << 30;

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

// Whether the kernel runs this geometry in slices of `steps` k-steps (deep
// slices need KP's padding to fill whole slices; ConvGemmKernel checks the same).
bool slices_fit(const ConvGeometry& g, int steps) { return g.kpad % slice_depth(steps) == 0; }

// Deep-slice emulations run so far (the tests require some).
int g_deep_runs = 0;

// Returns the number of splits the one-step split-K run used.
int64_t check_emulated_conv(const EmuConv& e, uint32_t seed) {
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
  int64_t one_step_splits = 0;
  for (int steps : kStepCounts) {
    if (!slices_fit(g, steps)) continue;
    g_deep_runs += steps > 1 ? 1 : 0;
    for (int64_t target : {kNoSplit, kManySplits}) {
      SCOPED_TRACE(testing::Message() << "steps " << steps << " split_k target " << target);
      int64_t splits = 0;
      const std::vector<int32_t> got =
          emulate_gemm(g, in[0], in[1], e.bias ? &in[2] : nullptr, want.size(), target, steps, &splits);
      EXPECT_EQ(splits > 1, target == kManySplits && g.kpad / slice_depth(steps) >= 2 * kMinSplitSlices);
      if (steps == 1) one_step_splits = std::max(one_step_splits, splits);
      EXPECT_EQ(got.size(), want.data.size());
      for (size_t i = 0; i < got.size() && i < want.data.size(); ++i) {
        EXPECT_EQ(got[i], want.data[i]) << "y flat index " << i;
        if (got[i] != want.data[i]) break;
      }
    }
  }
  return one_step_splits;
}

TEST(cuda_gemm_layout, emulated_conv2d_matches_reference) {
  uint32_t seed = 100;
  int split_cases = 0;
  g_deep_runs = 0;
  const auto check = [&](const EmuConv& e) { split_cases += check_emulated_conv(e, ++seed) > 1 ? 1 : 0; };
  check({.n = 1, .c = 3, .h = 5, .w = 6, .o = 8, .kh = 1, .kw = 1});
  check({.n = 2, .c = 5, .h = 9, .w = 7, .o = 9, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  check({.n = 1, .c = 4, .h = 11, .w = 13, .o = 16, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1});
  check({.n = 1, .c = 3, .h = 12, .w = 12, .o = 10, .kh = 3, .kw = 3, .ph = 1, .pw = 2, .dh = 2, .dw = 3});
  check({.n = 1, .c = 2, .h = 8, .w = 9, .o = 8, .kh = 2, .kw = 2, .sh = 4, .sw = 5, .ph = 4, .pw = 5, .dh = 3, .dw = 2, .bias = false});
  check({.n = 1, .c = 1, .h = 2, .w = 2, .o = 8, .kh = 1, .kw = 1, .ph = 3, .pw = 2});  // all-padding windows
  check({.n = 1, .c = 8, .h = 6, .w = 7, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});
  check({.n = 2, .c = 6, .h = 9, .w = 9, .o = 6, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1, .groups = 6});  // depthwise
  check({.n = 1, .c = 12, .h = 4, .w = 4, .o = 18, .kh = 1, .kw = 1, .groups = 3, .bias = false});
  // ICG = 57: ICGP 64, KP = 576 (18 slices); then more than one row block
  // (O = 130: BM 128, MPAD 256) and four column blocks (450 pixels).
  check({.n = 1, .c = 57, .h = 5, .w = 5, .o = 9, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  check({.n = 2, .c = 3, .h = 10, .w = 10, .o = 130, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  check({.n = 1, .c = 2, .h = 3, .w = 150, .o = 8, .kh = 1, .kw = 3, .pw = 1, .bias = false});
  // ICG 12, 20, 48: ICGP 16, 32, 48 (16-byte chunks, ICGP not a power of
  // two for 48, a slice spanning window positions).
  check({.n = 1, .c = 12, .h = 7, .w = 8, .o = 20, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  check({.n = 2, .c = 20, .h = 6, .w = 5, .o = 70, .kh = 3, .kw = 3, .sh = 2, .ph = 2, .pw = 1, .dh = 2});
  check({.n = 1, .c = 48, .h = 6, .w = 6, .o = 33, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .bias = false});
  // Groups with ICG 5 (ICGP 8: padding between groups in x8), and with
  // ICG 20 and BM 128 per group (O / groups = 70).
  check({.n = 2, .c = 10, .h = 7, .w = 6, .o = 24, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});
  check({.n = 1, .c = 60, .h = 5, .w = 5, .o = 210, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 3});
  EXPECT_GE(split_cases, 4) << "too few cases ran several splits";
  EXPECT_GE(g_deep_runs, 5) << "too few cases ran in deep slices";
}

TEST(cuda_gemm_layout, emulated_dense_matches_reference) {
  uint32_t seed = 200;
  int split_cases = 0, deep_runs = 0;
  for (const auto& [m, k, units] : std::vector<std::array<int64_t, 3>>{
           {1, 1, 8}, {3, 40, 18}, {5, 33, 130}, {129, 65, 9}, {2, 300, 16}, {3, 1000, 20}, {1, 257, 200}}) {
    for (bool bias : {true, false}) {
      SCOPED_TRACE(testing::Message() << "dense m" << m << " k" << k << " units" << units << " bias " << bias);
      std::mt19937 rng(++seed);
      std::vector<Tensor> in{random_tensor({m, k}, 8, rng), random_tensor({units, k}, 8, rng)};
      if (bias) in.push_back(random_tensor({units}, 10, rng));
      const Tensor want =
          run_reference("dense", {{"units", std::to_string(units)}, {"use_bias", bias ? "1" : "0"}}, in).outputs[0];
      const ConvGeometry g = dense_geometry(m, k, units, bias);
      for (int steps : kStepCounts) {
        if (!slices_fit(g, steps)) continue;
        deep_runs += steps > 1 ? 1 : 0;
        for (int64_t target : {kNoSplit, kManySplits}) {
          int64_t splits = 0;
          const std::vector<int32_t> got =
              emulate_gemm(g, in[0], in[1], bias ? &in[2] : nullptr, want.size(), target, steps, &splits);
          EXPECT_EQ(got, want.data) << "steps " << steps << " split_k target " << target << ": " << splits
                                    << " splits";
          split_cases += splits > 1 ? 1 : 0;
        }
      }
    }
  }
  EXPECT_GE(split_cases, 4) << "too few cases ran several splits";
  EXPECT_GE(deep_runs, 4) << "too few cases ran in deep slices";
}

// Generated conv2d and dense cases (oracle/gen: every attribute variant,
// tile-boundary dims, precisions <= 8 for x and w), emulated whatever their
// eligibility for the tensor-core path on a device, without and with split-K.
// (Generated dense cases have K <= 65, too shallow for split-K: only the
// conv2d ones are required to run several splits.)
void check_emulated_generated(const std::string& op, int count, uint64_t salt, int min_split_cases) {
  int found = 0, split_cases = 0;
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
    for (int steps : kStepCounts) {
      if (!slices_fit(geo, steps)) continue;
      for (int64_t target : {kNoSplit, kManySplits}) {
        int64_t splits = 0;
        const std::vector<int32_t> got =
            emulate_gemm(geo, in[0], in[1], bias ? &in[2] : nullptr, want.size(), target, steps, &splits);
        ASSERT_EQ(got, want.data) << op << " seed " << seed << " steps " << steps << " split_k target " << target
                                  << ": " << splits << " splits";
        split_cases += splits > 1 ? 1 : 0;
      }
    }
  }
  EXPECT_GE(found, count / 2) << op << ": too few generated cases";
  EXPECT_GE(split_cases, min_split_cases) << op << ": too few generated cases ran several splits";
}

TEST(cuda_gemm_layout, emulated_generated_cases_match_reference) {
  check_emulated_generated("conv2d", 150, 11, 2);
  check_emulated_generated("dense", 150, 12, 0);
}

TEST(cuda_gemm_layout, round_up) {
  EXPECT_EQ(round_up(1, 32), 32);
  EXPECT_EQ(round_up(32, 32), 32);
  EXPECT_EQ(round_up(33, 32), 64);
  EXPECT_EQ(round_up(127, 128), 128);
}

}  // namespace
}  // namespace cvm::cuda::gemm
