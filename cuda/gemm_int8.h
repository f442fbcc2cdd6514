// The exact int8 GEMM engine behind the CUDA conv2d and dense kernels:
// problem description, tile constants, the mma.m16n8k32 fragment layout and
// the shared-memory addressing the tensor-core kernel uses, and the switch that
// forces the simple path (tests).
//
// This header is plain C++ (no CUDA includes): the index functions are
// constexpr and __host__ __device__ under nvcc, so the CPU-only test
// oracle/cuda_gemm_layout_test.cc checks them against an independent
// transcription of the PTX ISA tables and, with them, emulates the whole
// tensor-core path (packing, implicit im2col, every block's loads, fragments,
// mma and epilogue) on conv2d and dense cases against the reference.
//
// The GEMM (one per group g; conv2d as an implicit GEMM, dense as the 1x1
// conv2d of (M, K, 1, 1) data, see cuda/dense.cu):
//     rows    m in [0, OPG)            output channel g * OPG + m
//     columns p in [0, N * OH * OW)    output pixel (n, r, q), p = (n * OH + r) * OW + q
//     depth   k in [0, K), K = ICG * KH * KW, k = (c * KH + u) * KW + v
//     A[m, k] = w[g * OPG + m, c, u, v]                       (packed int8)
//     B[k, p] = xpad(n, g * ICG + c, r SH + u DH - PH, q SW + v DW - PW)
//     y[n, g * OPG + m, r, q] = sum_k A[m, k] B[k, p]  (+ b[g * OPG + m])
// exactly the sum of spec/ops/conv2d.rst (the reference's c, u, v loops are the
// k loop in increasing k).
//
// Exactness (the licence for int8 operands and int32 accumulation in any
// order): conv2d_c14 / dense_c5 bound |x|, |w| <= R(8) = 127, so both operands
// are exact as int8. conv2d_b2 / dense_b2 bound every partial sum of the K
// terms by K R(px) R(pw) <= R(p_y) <= 2^31 - 1; since every term is bounded by
// R(px) R(pw), the same bound holds for the sum of ANY subset of the terms, so
// the int32 accumulators of the tensor-core kernel (which add the terms in
// k-tile order, and inside one mma in an unspecified order) never leave int32
// and the result is the exact sum whatever the order (the mma is used without
// .satfinite; nothing is ever near saturation). Zero padding (k >= K,
// rows m >= OPG, columns p >= N OH OW) only adds zero terms. The bias is added
// in int64 after the sum, as the reference does; |s + b| <= R(p_y) (conv2d_b1,
// dense_b1; conv2d_b2 / dense_b2 for the biased sum), so the final int32
// store is exact.
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
  int64_t k = 0;             // ICG * KH * KW
  int64_t npix = 0;          // N * OH * OW (GEMM columns)
  int64_t kpad = 0;          // k rounded up to kBK
  int64_t mpad = 0;          // opg rounded up to kBM
  bool use_bias = false;
};

/// Whether the int8 tensor-core path takes this geometry on the current
/// device (compute capability >= 8.0, at least kMinRows rows per group, and
/// grid and scratch sizes in range); otherwise the simple kernel runs.
bool tensor_core_eligible(const ConvGeometry& geometry);

/// The kernel of one conv2d/dense node (defined in cuda/conv2d.cu). `w_const`
/// is the host value of w when it is a model constant (packed once here),
/// else nullptr (packed on the device by each launch into scratch allocated
/// here). `op` names the op in launch errors.
std::unique_ptr<NodeKernel> make_conv_gemm(const ConvGeometry& geometry, const Tensor* w_const,
                                           const char* op);

namespace gemm {

// ---- Tiles ------------------------------------------------------------------
// A block computes a kBM x kBN tile of one group's GEMM with kThreads threads
// (8 warps as 2 x 4), stepping through K in kBK = 32 slices (one
// mma.m16n8k32 deep). A warp computes 64 x 32: 4 x 4 mma tiles of 16 x 8.
inline constexpr int kBM = 128, kBN = 128, kBK = 32;
inline constexpr int kThreads = 256;
inline constexpr int kWarpsN = 4;          // warp w: rows (w / 4) * 64, columns (w % 4) * 32
inline constexpr int kWarpM = 64, kWarpN = 32;
inline constexpr int kTilesM = 4, kTilesN = 4;  // mma tiles per warp
// Shared memory: sA[kBM][kRowBytes] (row m holds A[m, k0 .. k0 + 31]) and
// sB[kBN][kRowBytes] (row p holds B[k0 .. k0 + 31, p]), both k-contiguous
// int8, 16 bytes of padding per row: a row is 12 words, and the 32 lanes'
// fragment words (row groupID, word threadID_in_group [+4]) fall on 32
// distinct banks (12 g + t mod 32 is a bijection of g < 8, t < 4).
inline constexpr int kRowBytes = 48;
inline constexpr int kRowWords = kRowBytes / 4;
/// Fewer output channels per group than this (depthwise convolutions, for
/// instance) would waste most of a 128-row tile: the simple kernel serves them.
inline constexpr int64_t kMinRows = 8;

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

// ---- Block-level addressing (what the kernel uses) ---------------------------

/// Warp `warp`'s first row and column in the block tile.
CVM_GEMM_HD constexpr int warp_row0(int warp) { return (warp / kWarpsN) * kWarpM; }
CVM_GEMM_HD constexpr int warp_col0(int warp) { return (warp % kWarpsN) * kWarpN; }

/// Word index in sA (as uint32) of A register r for mma tile tm of `warp`.
CVM_GEMM_HD constexpr int a_smem_word(int warp, int tm, int lane, int r) {
  return (warp_row0(warp) + tm * 16 + a_frag_row(lane, r)) * kRowWords + a_frag_k(lane, r) / 4;
}
/// Word index in sB of B register r for mma tile tn of `warp`.
CVM_GEMM_HD constexpr int b_smem_word(int warp, int tn, int lane, int r) {
  return (warp_col0(warp) + tn * 8 + b_frag_col(lane)) * kRowWords + b_frag_k(lane, r) / 4;
}
/// Block-tile row and column of accumulator i of mma tile (tm, tn) of `warp`.
CVM_GEMM_HD constexpr int c_tile_row(int warp, int tm, int lane, int i) {
  return warp_row0(warp) + tm * 16 + c_frag_row(lane, i);
}
CVM_GEMM_HD constexpr int c_tile_col(int warp, int tn, int lane, int i) {
  return warp_col0(warp) + tn * 8 + c_frag_col(lane, i);
}

/// Loading a k slice: thread `tid` copies 16 bytes of A, row a_load_row,
/// bytes [16 a_load_half, +16) of the slice (kBM * 32 bytes = kThreads * 16);
/// and gathers 16 B values, column b_load_col, k [16 b_load_half, +16) of the
/// slice (kBN * 32 values = kThreads * 16). Each lands in its row of sA/sB at
/// byte 16 * half.
CVM_GEMM_HD constexpr int a_load_row(int tid) { return tid >> 1; }
CVM_GEMM_HD constexpr int a_load_half(int tid) { return tid & 1; }
CVM_GEMM_HD constexpr int b_load_col(int tid) { return tid % kBN; }
CVM_GEMM_HD constexpr int b_load_half(int tid) { return tid / kBN; }

static_assert(kThreads * 16 == kBM * kBK && kThreads * 16 == kBN * kBK, "one 16-byte piece per thread");
static_assert(kBM == 2 * kWarpM && kBN == kWarpsN * kWarpN && kThreads == 32 * 2 * kWarpsN, "warp grid");
static_assert(kWarpM == 16 * kTilesM && kWarpN == 8 * kTilesN, "mma tiles per warp");
static_assert(kRowBytes % 16 == 0 && kRowBytes >= kBK, "16-byte aligned rows");

/// Rounds v >= 0 up to a multiple of m > 0.
CVM_GEMM_HD constexpr int64_t round_up(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

// ---- The implicit GEMM's operands and output (used by the kernel and by
// the CPU emulation in oracle/cuda_gemm_layout_test.cc) ---------------------

/// Term k = (c KH + u) KW + v (k < K): x offset of channel c within the
/// group's first channel (c H W) and the row/column displacements u DH, v DW
/// (u DH <= DH (KH - 1) <= H + 2 PH - 1 < 2^25 by conv2d_c13: fits int32).
struct KTerm {
  int64_t coff;
  int32_t du;
  int32_t dv;
};
CVM_GEMM_HD inline KTerm k_term(const ConvGeometry& g, int64_t k) {
  const int64_t c = k / (g.kh * g.kw), u = (k / g.kw) % g.kh, v = k % g.kw;
  return KTerm{c * g.h * g.w, static_cast<int32_t>(u * g.dh), static_cast<int32_t>(v * g.dw)};
}

/// Element idx of the packed weights [group][mpad][kpad] (int8):
/// A[grp][m][k] = w[(grp OPG + m) K + k] (w is (O, ICG, KH, KW) row-major, so
/// this is w[grp OPG + m, c, u, v] for k = (c KH + u) KW + v) for m < OPG and
/// k < K, else 0. |w| <= 127 (conv2d_c14 / dense_c5): the int8 value is exact.
CVM_GEMM_HD inline int8_t packed_weight(const ConvGeometry& g, const int32_t* w, int64_t idx) {
  const int64_t k = idx % g.kpad;
  const int64_t m = (idx / g.kpad) % g.mpad;
  const int64_t grp = idx / (g.kpad * g.mpad);
  if (m >= g.opg || k >= g.k) return 0;
  return static_cast<int8_t>(w[(grp * g.opg + m) * g.k + k]);
}

/// GEMM column p = (n OH + r) OW + q of group grp: where its window starts.
struct PixelBase {
  bool ok = false;     // p < N OH OW
  int64_t x_base = 0;  // offset of x[n, grp ICG, 0, 0]
  int64_t ih0 = 0;     // r SH - PH
  int64_t iw0 = 0;     // q SW - PW
};
CVM_GEMM_HD inline PixelBase pixel_base(const ConvGeometry& g, int64_t grp, int64_t p) {
  PixelBase b;
  if (p >= g.npix) return b;
  const int64_t ohw = g.oh * g.ow;
  const int64_t n = p / ohw, rem = p % ohw;
  const int64_t r = rem / g.ow, q = rem % g.ow;
  b.ok = true;
  b.x_base = (n * g.c + grp * g.icg) * g.h * g.w;
  b.ih0 = r * g.sh - g.ph;
  b.iw0 = q * g.sw - g.pw;
  return b;
}

/// B[k, p] for term t = k_term(k), k < K, of a column with b.ok: the padded
/// read xpad(n, grp ICG + c, r SH + u DH - PH, q SW + v DW - PW), i.e.
/// x[((n C + grp ICG + c) H + ih) W + iw] inside, 0 in the padding.
CVM_GEMM_HD inline int32_t b_value(const ConvGeometry& g, const int32_t* x, const PixelBase& b,
                                   const KTerm& t) {
  const int64_t ih = b.ih0 + t.du, iw = b.iw0 + t.dv;
  if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) return 0;
  return x[b.x_base + t.coff + ih * g.w + iw];
}

/// Offset in y (N, O, OH, OW) of GEMM element (m, p) of group grp (m < OPG,
/// p < N OH OW): y[n, grp OPG + m, r, q].
CVM_GEMM_HD inline int64_t y_offset(const ConvGeometry& g, int64_t grp, int64_t m, int64_t p) {
  const int64_t ohw = g.oh * g.ow;
  const int64_t n = p / ohw, rem = p % ohw;
  return (n * g.o + grp * g.opg + m) * ohw + rem;
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
  g.kpad = gemm::round_up(g.k, gemm::kBK);
  g.mpad = gemm::round_up(g.opg, gemm::kBM);
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
