// The exact int8 GEMM engine behind the CUDA conv2d and dense kernels:
// problem description, tile constants, the mma.m16n8k32 fragment layout,
// the ldmatrix and cp.async addressing the tensor-core kernel uses, the
// operand layouts (packed weights, int8 NHWC activations, the chunk table)
// and the switch that forces the simple path (tests).
//
// This header is plain C++ (no CUDA includes): the index functions are
// constexpr or inline and __host__ __device__ under nvcc, so the CPU-only
// test oracle/cuda_gemm_layout_test.cc checks them against an independent
// transcription of the PTX ISA tables (mma fragments, ldmatrix) and, with
// them, emulates the whole tensor-core path (conversion, packing, every
// block's loads, fragments, mma, split-K and epilogue) on conv2d and dense
// cases against the reference.
//
// The GEMM (one per group g; conv2d as an implicit GEMM, dense as the 1x1
// conv2d of (M, K, 1, 1) data, see cuda/dense.cu):
//     rows    m in [0, OPG)            output channel g * OPG + m
//     columns p in [0, N * OH * OW)    output pixel (n, r, q), p = (n * OH + r) * OW + q
//     depth   k in [0, KP), KP = KH * KW * ICGP, k = (u * KW + v) * ICGP + c
//     A[m, k] = w[g * OPG + m, c, u, v]  for c < ICG, else 0     (packed int8)
//     B[k, p] = xpad(n, g * ICG + c, r SH + u DH - PH, q SW + v DW - PW)  for c < ICG, else 0
//     y[n, g * OPG + m, r, q] = sum_k A[m, k] B[k, p]  (+ b[g * OPG + m])
// The depth runs over the window positions (u, v) and, inside one, over the
// group's channels padded to ICGP: the terms of spec/ops/conv2d.rst in
// another order, plus zero terms. The activations are first converted, once
// per launch, to int8 in NHWC order with each group's channels padded to
// ICGP (x8 below), so the ICGP channels of one window position of one pixel
// are contiguous bytes and a k slice of one column is loaded in 4-, 8- or
// 16-byte cp.async chunks with zero fill for the padding.
//
// Exactness (the licence for int8 operands, int32 accumulation in any order
// and split-K): conv2d_c14 / dense_c5 bound |x|, |w| <= R(8) = 127, so both
// operands are exact as int8. conv2d_b2 / dense_b2 bound every partial sum
// of the K terms by K R(px) R(pw) <= R(p_y) <= 2^31 - 1; since every term is
// bounded by R(px) R(pw), the same bound holds for the sum of ANY subset of
// the terms, so the int32 accumulators of the tensor-core kernel (which add
// the terms in k-slice order, and inside one mma in an unspecified order)
// never leave int32 and the result is the exact sum whatever the order (the
// mma is used without .satfinite; nothing is ever near saturation). Zero
// padding (channels c >= ICG, k >= KP, rows m >= OPG, columns p >= N OH OW)
// only adds zero terms. The bias is added after the sum, as the reference
// does, modulo 2^32 (unsigned words, well defined); since |s + b| <= R(p_y)
// (conv2d_b1, dense_b1; conv2d_b2 / dense_b2 for the biased sum), the
// stored word is the exact int32 result. Split-K adds
// the splits' partial sums (one of them biased) into a zeroed y with int32
// atomic adds: integer addition modulo 2^32 is associative and commutative,
// so the final word is the exact result (which fits int32) whatever order
// the atomics land in.
#pragma once

#include <cstdint>
#include <memory>

#include "cvm/ops/conv2d.h"
#include "cvm/shape.h"

#if defined(__CUDACC__)
#define CVM_GEMM_HD __host__ __device__
#else
#define CVM_GEMM_HD
#endif

namespace cvm {
struct Tensor;
}

namespace cvm::cuda {

class NodeKernel;

/// Forces the simple direct kernel (one thread per output element, int64
/// accumulation) for conv2d and dense instead of the int8 tensor-core path
/// (tests compare both paths with the reference). Read when a kernel is
/// launched; the default is false.
void force_simple_gemm(bool force);
bool simple_gemm_forced();

/// Makes the tensor-core kernel take 64-deep slices per pipeline stage (two
/// mma k-steps per barrier; gemm::kDeepSteps) instead of 32-deep ones,
/// where the depth KP rounds up to a multiple of 64 alike and the device
/// grants the larger shared-memory ring. Same results (the exactness
/// argument does not depend on the slicing). Read when a kernel is
/// launched; the default is false until it has been measured on a GPU.
void use_deep_slices(bool deep);
bool deep_slices_used();

/// One conv2d application (dense: n = M, c = K, h = w = 1, o = units,
/// kh = kw = 1, unit strides and dilation, no padding, one group). All sizes
/// in int64; passed to the kernels by value.
struct ConvGeometry {
  int64_t n = 0, c = 0, h = 0, w = 0;  // x (N, C, H, W)
  int64_t o = 0, kh = 0, kw = 0;       // channels, kernel (w is (O, C / groups, KH, KW))
  int64_t oh = 0, ow = 0;              // y spatial
  int64_t sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  int64_t groups = 1;
  int64_t opg = 0, icg = 0;  // O / groups, C / groups
  int64_t k = 0;             // ICG * KH * KW (the reference's depth)
  int64_t npix = 0;          // N * OH * OW (GEMM columns)
  // The tensor-core path's padded layout (gemm::chunk_bytes_for and friends):
  int64_t icgp = 0;   // ICG padded: 4, 8, or a multiple of 16
  int64_t chunk = 0;  // bytes per B chunk (cp.async size): 4, 8 or 16
  int64_t cpad = 0;   // channels per x8 pixel: groups * ICGP
  int64_t kp = 0;     // GEMM depth KH * KW * ICGP
  int64_t kpad = 0;   // kp rounded up to kBK
  int64_t bm = 0;     // block-tile rows: 64 or 128
  int64_t mpad = 0;   // opg rounded up to bm
  bool use_bias = false;
};

/// Whether the int8 tensor-core path takes this geometry on the current
/// device (compute capability >= 8.0, at least kMinRows rows per group, and
/// grid, scratch and 32-bit index ranges in bounds); otherwise the simple
/// kernel runs.
bool tensor_core_eligible(const ConvGeometry& geometry);

/// The kernel of one conv2d/dense node (defined in cuda/gemm_int8.cu). `w_const`
/// is the host value of w when it is a model constant (packed once here),
/// else nullptr (packed on the device by each launch into scratch allocated
/// here). `op` names the op in launch errors.
std::unique_ptr<NodeKernel> make_conv_gemm(const ConvGeometry& geometry, const Tensor* w_const,
                                           const char* op);

namespace gemm {

// ---- Tiles ------------------------------------------------------------------
// A block computes a BM x kBN tile (BM = 128, or 64 when a group has at most
// 64 output channels) of one group's GEMM with kThreads threads (8 warps as
// 2 x 4), stepping through the depth in slices of STEPS k-steps of kBK = 32
// (one mma.m16n8k32 deep each; STEPS = 1, or kDeepSteps = 2 with
// use_deep_slices) through a kStages-deep cp.async ring in shared memory. A
// warp computes (BM / 2) x 32: tiles_m(BM) x kTilesN mma tiles of 16 x 8.
inline constexpr int kBN = 128, kBK = 32, kDeepSteps = 2;
inline constexpr int kThreads = 256;
inline constexpr int kWarpsM = 2, kWarpsN = 4;  // warp w: rows (w / 4) BM / 2, columns (w % 4) 32
inline constexpr int kWarpN = 32, kTilesN = 4;  // columns and mma tiles per warp
inline constexpr int kStages = 4;
// Shared memory per stage: sA[BM][row_bytes] (row m holds A[m, k0 .. k0 +
// 32 STEPS - 1]) and sB[kBN][row_bytes] (row p holds B[k0 .., p]), both
// k-contiguous int8 with 16 bytes of padding per row: a row is 12 words
// (STEPS 1) or 20 (STEPS 2), so the 8 rows an ldmatrix phase reads (16 bytes
// each) fall on 32 distinct banks (12 j and 20 j mod 32 for j < 8 are 8
// distinct multiples of 4).
CVM_GEMM_HD constexpr int row_bytes(int steps) { return kBK * steps + 16; }
/// The depth of one slice (one pipeline stage).
CVM_GEMM_HD constexpr int slice_depth(int steps) { return kBK * steps; }
/// Fewer output channels per group than this (depthwise convolutions, for
/// instance) would waste most of a 64-row tile: the simple kernel serves them.
inline constexpr int64_t kMinRows = 8;

/// Rows of the block tile for a group of `opg` output channels.
CVM_GEMM_HD constexpr int64_t block_rows_for(int64_t opg) { return opg <= 64 ? 64 : 128; }
/// mma tiles per warp along the rows for block-tile height `bm`.
CVM_GEMM_HD constexpr int tiles_m(int bm) { return bm / kWarpsM / 16; }
/// Bytes of shared memory of one pipeline stage and of the whole ring.
CVM_GEMM_HD constexpr int stage_bytes(int bm, int steps) { return (bm + kBN) * row_bytes(steps); }
CVM_GEMM_HD constexpr int ring_bytes(int bm, int steps) { return kStages * stage_bytes(bm, steps); }

// ---- mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 fragments -------------
// (PTX ISA, "Matrix Fragments for mma.m16n8k32", integer types.) Per lane:
// groupID g = lane >> 2, threadID_in_group t = lane % 4. A .b32 register
// holds 4 consecutive k elements, element j in bits 8j .. 8j + 7.
//   A (16 x 32, row-major), 4 registers:
//     a0: row g,     k 4t .. 4t + 3        a1: row g + 8, k 4t .. 4t + 3
//     a2: row g,     k 4t + 16 .. 4t + 19  a3: row g + 8, k 4t + 16 .. 4t + 19
//   B (32 x 8, column-major), 2 registers:
//     b0: column g, k 4t .. 4t + 3         b1: column g, k 4t + 16 .. 4t + 19
//   C, D (16 x 8, int32), 4 registers:
//     c0: (g, 2t)  c1: (g, 2t + 1)  c2: (g + 8, 2t)  c3: (g + 8, 2t + 1)

/// Row of the 16 x 32 A tile held by register r (0..3) of `lane`.
CVM_GEMM_HD constexpr int a_frag_row(int lane, int r) { return (lane >> 2) + ((r & 1) != 0 ? 8 : 0); }
/// First of the 4 consecutive k of A register r of `lane`.
CVM_GEMM_HD constexpr int a_frag_k(int lane, int r) { return (lane & 3) * 4 + ((r & 2) != 0 ? 16 : 0); }
/// Column of the 32 x 8 B tile held by `lane` (both registers).
CVM_GEMM_HD constexpr int b_frag_col(int lane) { return lane >> 2; }
/// First of the 4 consecutive k of B register r (0..1) of `lane`.
CVM_GEMM_HD constexpr int b_frag_k(int lane, int r) { return (lane & 3) * 4 + (r != 0 ? 16 : 0); }
/// Row and column of the 16 x 8 C/D tile held by accumulator i (0..3) of `lane`.
CVM_GEMM_HD constexpr int c_frag_row(int lane, int i) { return (lane >> 2) + (i >= 2 ? 8 : 0); }
CVM_GEMM_HD constexpr int c_frag_col(int lane, int i) { return (lane & 3) * 2 + (i & 1); }

// ---- ldmatrix (PTX ISA, "ldmatrix"): .x4 loads four 8 x 8 matrices of
// 16-bit elements, i.e. 8 rows of 16 bytes each; lanes 8i .. 8i + 7 give the
// shared addresses of rows 0..7 of matrix i, and register i of lane l
// receives bytes 4 (l % 4) .. 4 (l % 4) + 3 of row l / 4 of matrix i. With
// rows of sA (k-contiguous) that is exactly an A or B fragment register.

/// Warp `warp`'s first row and column in a block tile of height bm.
CVM_GEMM_HD constexpr int warp_row0(int bm, int warp) { return (warp / kWarpsN) * (bm / kWarpsM); }
CVM_GEMM_HD constexpr int warp_col0(int warp) { return (warp % kWarpsN) * kWarpN; }

/// Byte offset in a stage's sA (rows of row_bytes(steps)) of the row
/// address `lane` gives to ldmatrix.x4 for mma tile tm of `warp` at k-step
/// kk < steps: matrices 0..3 are rows 0-7 / 8-15 of the tile at k 0-15,
/// then at k 16-31 (of the k-step), so registers 0..3 are a0..a3.
CVM_GEMM_HD constexpr int a_ldsm_byte(int bm, int warp, int tm, int lane, int steps, int kk) {
  return (warp_row0(bm, warp) + tm * 16 + (lane & 7) + ((lane >> 3) & 1) * 8) * row_bytes(steps) + kk * kBK +
         (lane >> 4) * 16;
}
/// Byte offset in a stage's sB of the row address `lane` gives to
/// ldmatrix.x4 for the mma tiles 2 tp and 2 tp + 1 of `warp` at k-step kk:
/// matrices 0..3 are (tile 2 tp, k 0-15), (2 tp, k 16-31), (2 tp + 1,
/// k 0-15), (2 tp + 1, k 16-31), so registers 0..3 are b0, b1 of tile 2 tp,
/// then of tile 2 tp + 1.
CVM_GEMM_HD constexpr int b_ldsm_byte(int warp, int tp, int lane, int steps, int kk) {
  return (warp_col0(warp) + (2 * tp + (lane >> 4)) * 8 + (lane & 7)) * row_bytes(steps) + kk * kBK +
         ((lane >> 3) & 1) * 16;
}
/// Block-tile row and column of accumulator i of mma tile (tm, tn) of `warp`.
CVM_GEMM_HD constexpr int c_tile_row(int bm, int warp, int tm, int lane, int i) {
  return warp_row0(bm, warp) + tm * 16 + c_frag_row(lane, i);
}
CVM_GEMM_HD constexpr int c_tile_col(int warp, int tn, int lane, int i) {
  return warp_col0(warp) + tn * 8 + c_frag_col(lane, i);
}

// ---- Loading one k slice into a stage (cp.async) ---------------------------
// A: the BM x 32 STEPS bytes are a_pieces(BM, steps) pieces of 16 bytes;
// thread tid copies pieces tid + kThreads i (those below a_pieces), for
// i < a_pieces_per_thread: piece q is row a_piece_row(q), bytes
// [16 a_piece_part(q), +16) of the row.
CVM_GEMM_HD constexpr int a_pieces(int bm, int steps) { return bm * 2 * steps; }
CVM_GEMM_HD constexpr int a_pieces_per_thread(int bm, int steps) {
  return (a_pieces(bm, steps) + kThreads - 1) / kThreads;
}
CVM_GEMM_HD constexpr int a_piece_row(int piece, int steps) { return piece / (2 * steps); }
CVM_GEMM_HD constexpr int a_piece_part(int piece, int steps) { return piece % (2 * steps); }
// B: the kBN x 32 STEPS bytes are kBN * (32 STEPS / chunk) chunks of `chunk`
// bytes; thread tid copies chunks_per_thread(chunk, steps) of them, all of
// column b_load_col(tid): chunk j = b_load_chunk(tid, i, chunk, steps) of the
// column (bytes [j chunk, +chunk) of its row, depth k0 + j chunk).
CVM_GEMM_HD constexpr int chunks_per_thread(int chunk, int steps) {
  return kBN * (slice_depth(steps) / chunk) / kThreads;
}
CVM_GEMM_HD constexpr int b_load_col(int tid) { return tid >> 1; }
CVM_GEMM_HD constexpr int b_load_chunk(int tid, int i, int chunk, int steps) {
  return (tid & 1) * chunks_per_thread(chunk, steps) + i;
}

static_assert(kThreads == 32 * kWarpsM * kWarpsN && kBN == kWarpsN * kWarpN, "warp grid");
static_assert(kWarpN == 8 * kTilesN && kTilesN % 2 == 0, "mma tiles per warp (B loaded in pairs)");
static_assert(row_bytes(1) % 16 == 0 && row_bytes(kDeepSteps) % 16 == 0, "16-byte aligned rows");
static_assert(kThreads == 2 * kBN, "two B loader threads per column");
static_assert(ring_bytes(128, 1) <= 48 * 1024, "static shared memory for one-step slices");
static_assert(ring_bytes(128, kDeepSteps) <= 227 * 1024, "a Hopper SM's shared memory for deep slices");

/// Rounds v >= 0 up to a multiple of m > 0.
CVM_GEMM_HD constexpr int64_t round_up(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

/// ICG padded so that one chunk never straddles two window positions: 4, 8,
/// else a multiple of 16.
CVM_GEMM_HD constexpr int64_t padded_channels(int64_t icg) {
  return icg <= 4 ? 4 : (icg <= 8 ? 8 : round_up(icg, 16));
}
/// The chunk size for ICGP channels: a divisor of both ICGP and kBK.
CVM_GEMM_HD constexpr int64_t chunk_bytes_for(int64_t icgp) { return icgp < 16 ? icgp : 16; }

// ---- The operands (used by the kernels and by the CPU emulation in
// oracle/cuda_gemm_layout_test.cc) -----------------------------------------

/// Element idx of the packed weights [group][mpad][kpad] (int8):
/// A[grp][m][k] = w[grp OPG + m, c, u, v] for k = (u KW + v) ICGP + c with
/// m < OPG, k < KP and c < ICG, else 0. |w| <= 127 (conv2d_c14 / dense_c5):
/// the int8 value is exact.
CVM_GEMM_HD inline int8_t packed_weight(const ConvGeometry& g, const int32_t* w, int64_t idx) {
  const int64_t k = idx % g.kpad;
  const int64_t m = (idx / g.kpad) % g.mpad;
  const int64_t grp = idx / (g.kpad * g.mpad);
  if (m >= g.opg || k >= g.kp) return 0;
  const int64_t c = k % g.icgp, uv = k / g.icgp;
  if (c >= g.icg) return 0;
  return static_cast<int8_t>(w[((grp * g.opg + m) * g.icg + c) * g.kh * g.kw + uv]);
}

/// Bytes of x8, the int8 NHWC copy of x: N H W CPAD.
CVM_GEMM_HD inline int64_t x8_bytes(const ConvGeometry& g) { return g.n * g.h * g.w * g.cpad; }

/// The channel of x held by byte cc = grp ICGP + c of an x8 pixel:
/// grp ICG + c, or -1 for the padding (c >= ICG). 32-bit: CPAD and C are
/// below 2^22 (tensor_core_eligible bounds the conversion's grid).
CVM_GEMM_HD constexpr int x8_channel(int cc, int icgp, int icg) {
  const int grp = cc / icgp, c = cc % icgp;
  return c < icg ? grp * icg + c : -1;
}

/// Element idx = ((n H + ih) W + iw) CPAD + grp ICGP + c of x8:
/// x[n, grp ICG + c, ih, iw] for c < ICG, else 0 (exact in int8 by
/// conv2d_c14 / dense_c5).
CVM_GEMM_HD inline int8_t x8_value(const ConvGeometry& g, const int32_t* x, int64_t idx) {
  const int64_t cc = idx % g.cpad, pix = idx / g.cpad;  // pix = (n H + ih) W + iw
  const int ch = x8_channel(static_cast<int>(cc), static_cast<int>(g.icgp), static_cast<int>(g.icg));
  if (ch < 0) return 0;
  const int64_t hw = g.h * g.w, n = pix / hw;
  return static_cast<int8_t>(x[(n * g.c + ch) * hw + pix % hw]);
}

/// Chunk j of the depth (k = j chunk .. j chunk + chunk - 1, one window
/// position): the window displacement (du, dv) = (u DH, v DW) and the first
/// channel c within the group. Chunks at k >= KP are `valid = 0` (they load
/// zeros). All values fit int32 (tensor_core_eligible checks the ranges).
struct Chunk {
  int32_t du = 0, dv = 0, c = 0, valid = 0;
};
CVM_GEMM_HD inline Chunk chunk_at(const ConvGeometry& g, int64_t j) {
  const int64_t k = j * g.chunk;
  Chunk ch;
  if (k >= g.kp) return ch;
  const int64_t uv = k / g.icgp;
  ch.du = static_cast<int32_t>(uv / g.kw * g.dh);
  ch.dv = static_cast<int32_t>(uv % g.kw * g.dw);
  ch.c = static_cast<int32_t>(k % g.icgp);
  ch.valid = 1;
  return ch;
}

/// GEMM column p = (n OH + r) OW + q: where its window starts. 32-bit: the
/// offset of image n in x8 (n H W CPAD) is 64-bit, the rest is not.
struct PixelBase {
  bool ok = false;      // p < N OH OW
  int64_t image = 0;    // n H W CPAD
  int32_t ih0 = 0;      // r SH - PH
  int32_t iw0 = 0;      // q SW - PW
};
CVM_GEMM_HD inline PixelBase pixel_base(const ConvGeometry& g, int64_t p) {
  PixelBase b;
  if (p >= g.npix) return b;
  const int64_t ohw = g.oh * g.ow;
  const int64_t n = p / ohw, rem = p % ohw;
  b.ok = true;
  b.image = n * g.h * g.w * g.cpad;
  b.ih0 = static_cast<int32_t>(rem / g.ow * g.sh - g.ph);
  b.iw0 = static_cast<int32_t>(rem % g.ow * g.sw - g.pw);
  return b;
}

/// Where chunk `ch` of column `b` of group grp comes from: the x8 offset of
/// its first byte, or -1 when it is zero fill (padding, k >= KP, p >= N OH OW).
CVM_GEMM_HD inline int64_t chunk_source(const ConvGeometry& g, const PixelBase& b, const Chunk& ch,
                                        int64_t grp) {
  const int32_t ih = b.ih0 + ch.du, iw = b.iw0 + ch.dv;
  if (!b.ok || ch.valid == 0 || ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) return -1;
  return b.image + (static_cast<int64_t>(ih) * g.w + iw) * g.cpad + grp * g.icgp + ch.c;
}

/// Offset in y (N, O, OH, OW) of GEMM element (0, p) of group grp
/// (p < N OH OW): y[n, grp OPG, r, q]; element (m, p) is m OH OW further.
/// The column arithmetic is 32-bit (N OH OW and OH OW fit int32 by
/// tensor_core_eligible), as the kernel's epilogue does it per lane.
CVM_GEMM_HD inline int64_t y_column_base(const ConvGeometry& g, int64_t grp, uint32_t p) {
  const auto ohw = static_cast<uint32_t>(g.oh * g.ow);
  const uint32_t n = p / ohw;
  return (static_cast<int64_t>(n) * g.o + grp * g.opg) * ohw + (p - n * ohw);
}

/// Offset in y of GEMM element (m, p) of group grp (m < OPG, p < N OH OW):
/// y[n, grp OPG + m, r, q].
CVM_GEMM_HD inline int64_t y_offset(const ConvGeometry& g, int64_t grp, int64_t m, int64_t p) {
  return y_column_base(g, grp, static_cast<uint32_t>(p)) + m * g.oh * g.ow;
}

/// Split-K: `splits` ranges of `per_split` k slices each (the last may be
/// shorter, none is empty) for a grid of `blocks` output tiles on a device
/// that runs `slots` blocks at once. Only a grid smaller than one wave is
/// split; the split count minimises the critical path, waves x time per
/// block = ceil(blocks splits / slots) (per_split + kSplitOverhead) (the
/// fewest splits among equals), so that the last wave is not mostly idle.
/// per_split is at least kMinSplitSlices (a split's loads need a few slices
/// to pipeline). kSplitOverhead is a block's fixed cost (prologue, staged
/// epilogue, atomics) in k slices: about 8 on an H200 for a 128 x 128 tile.
inline constexpr int64_t kMinSplitSlices = 4;
inline constexpr int64_t kSplitOverhead = 8;
struct SplitK {
  int64_t splits = 1, per_split = 0;
};
CVM_GEMM_HD inline SplitK split_k(int64_t slices, int64_t blocks, int64_t slots) {
  SplitK best{1, slices};
  if (blocks >= slots || slices < 2 * kMinSplitSlices) return best;
  int64_t best_cost = slices + kSplitOverhead;  // one wave of whole-depth blocks
  for (int64_t want = 2; want <= slices / kMinSplitSlices; ++want) {
    const int64_t per = (slices + want - 1) / want;
    const int64_t splits = (slices + per - 1) / per;
    const int64_t cost = (blocks * splits + slots - 1) / slots * (per + kSplitOverhead);
    if (cost < best_cost) {
      best = SplitK{splits, per};
      best_cost = cost;
    }
  }
  return best;
}

}  // namespace gemm

/// The geometry of a conv2d node: x shape (N, C, H, W), y shape (N, O, OH, OW).
inline ConvGeometry conv_geometry(const Conv2dAttrs& a, const Shape& x, const Shape& y) {
  ConvGeometry g;
  g.n = x[0], g.c = x[1], g.h = x[2], g.w = x[3];
  g.o = a.channels, g.kh = a.kernel_size[0], g.kw = a.kernel_size[1];
  g.oh = y[2], g.ow = y[3];
  g.sh = a.strides[0], g.sw = a.strides[1];
  g.ph = a.padding[0], g.pw = a.padding[1];
  g.dh = a.dilation[0], g.dw = a.dilation[1];
  g.groups = a.groups;
  g.opg = g.o / g.groups;
  g.icg = g.c / g.groups;
  g.k = g.icg * g.kh * g.kw;
  g.npix = g.n * g.oh * g.ow;
  g.icgp = gemm::padded_channels(g.icg);
  g.chunk = gemm::chunk_bytes_for(g.icgp);
  g.cpad = g.groups * g.icgp;
  g.kp = g.kh * g.kw * g.icgp;
  g.kpad = gemm::round_up(g.kp, gemm::kBK);
  g.bm = gemm::block_rows_for(g.opg);
  g.mpad = gemm::round_up(g.opg, g.bm);
  g.use_bias = a.use_bias;
  return g;
}

/// The geometry of a dense node x (M, K), units U: the 1x1 conv2d of x as
/// (M, K, 1, 1) with w as (U, K, 1, 1) and y as (M, U, 1, 1) (the same
/// row-major data as (M, K), (U, K) and (M, U)).
inline ConvGeometry dense_geometry(int64_t m, int64_t k, int64_t units, bool use_bias) {
  Conv2dAttrs a;
  a.channels = units;
  a.kernel_size = {1, 1};
  a.use_bias = use_bias;
  return conv_geometry(a, Shape{m, k, 1, 1}, Shape{m, units, 1, 1});
}

}  // namespace cvm::cuda
