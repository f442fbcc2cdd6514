// Shared pieces of the conv2d and dense fast kernels (header-only, portable):
// the problem descriptions, the int16 operand packing and the scalar
// epilogue, plus the entry points of the AVX2 GEMM engine
// (fast/gemm_common_avx2.cc).
//
// The AVX2 engine computes, for independent "images" g, a matrix product
//     y_g[m, n] = epilogue(bias + sum_k A_g[m, k] * B_g[k, n])
// with A packed in row panels of kMR rows and B in column tiles of kNR = 16
// columns, both as int16 with consecutive k values paired, so that one
// vpmaddwd multiplies 8 columns by 2 k terms. The operands are conv2d/dense x
// and w, of precision <= 8 (conv2d_c14, dense_c5: |v| <= 127), so widening
// them to int16 is exact and each vpmaddwd pair sum (<= 2 * 127^2) is exact.
// Accumulation is int32: conv2d_b2 / dense_b2 bound every partial sum (any
// subset of the K terms, since each term is bounded by R(px) R(pw)) and the
// biased sum by R(p_y) <= 2^31 - 1, so int32 sums in any order are exact.
//
// At the AVX-VNNI and AVX-512 VNNI levels the engine runs on int8 operands
// instead (int8_gemm(level)): vpdpbusd multiplies 4 unsigned bytes by 4 signed bytes per
// int32 lane and adds the 4 products to the lane. The activation operand
// (conv2d: the im2col of x; dense: x) is stored as u = x + 128 in [1, 255]
// (a conv2d padding cell, x = 0, is u = 128), the weights as int8, and K is
// padded to a multiple of 4 with weight 0 (so any u there contributes 0).
// Then sum_k u w = sum_k x w + 128 sum_k w, and the engine adds the per-
// output correction corr = -128 sum_k w (precomputed when the weights are
// packed, summed over all K terms including those that meet padding cells)
// before the bias. See gemm_common_avx2.cc for why this is exact.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "cvm/intmath.h"
#include "fast/epilogue.h"
#include "fast/kernel.h"

namespace cvm::fast::gemm {

/// Rows of an A panel (broadcast operand) and columns of a B tile (vector
/// operand) of the AVX2 micro-kernel.
inline constexpr int kMR = 4;
inline constexpr int kNR = 16;

/// Column order of a packed B tile: the tile is two 16-lane int16 vectors
/// per k pair; vector v, int32 lane i holds column kTileCol[v][i] (its k and
/// k + 1 values). This is the order _mm256_unpack{lo,hi}_epi16 produce from
/// two rows of 16 columns; the micro-kernel undoes it when it stores.
inline constexpr int kTileCol[2][8] = {{0, 1, 2, 3, 8, 9, 10, 11}, {4, 5, 6, 7, 12, 13, 14, 15}};

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// A packed as [panel][k pair][kMR rows][2]: element (m, k) of the rows x K
/// matrix src (row stride ld) at ((m / kMR) * kp + k / 2) * 2 kMR + (m % kMR) * 2
/// + k % 2, zero for m >= rows or k >= K. Size panels * kp * 2 kMR.
inline void pack_a(const int32_t* src, int64_t rows, int64_t k_count, int64_t ld, int16_t* dst) {
  const int64_t kp = ceil_div(k_count, 2);
  const int64_t panels = ceil_div(rows, kMR);
  std::fill(dst, dst + panels * kp * 2 * kMR, int16_t{0});
  for (int64_t m = 0; m < rows; ++m) {
    const int32_t* s = src + m * ld;
    int16_t* d = dst + (m / kMR) * kp * 2 * kMR + (m % kMR) * 2;
    for (int64_t k = 0; k < k_count; ++k) d[(k >> 1) * 2 * kMR + (k & 1)] = static_cast<int16_t>(s[k]);
  }
}

/// B = src^T packed in tiles: src is cols x K (row stride ld) and B[k, n] =
/// src[n, k]; layout [tile][k pair][32] with kTileCol order, zero outside.
/// Size tiles * kp * 32.
inline void pack_b_transposed(const int32_t* src, int64_t cols, int64_t k_count, int64_t ld,
                              int16_t* dst) {
  const int64_t kp = ceil_div(k_count, 2);
  const int64_t tiles = ceil_div(cols, kNR);
  std::fill(dst, dst + tiles * kp * 32, int16_t{0});
  int pos[kNR];  // column within the tile -> int16 offset within a k pair's 32
  for (int v = 0; v < 2; ++v)
    for (int i = 0; i < 8; ++i) pos[kTileCol[v][i]] = v * 16 + i * 2;
  for (int64_t n = 0; n < cols; ++n) {
    const int32_t* s = src + n * ld;
    int16_t* d = dst + (n / kNR) * kp * 32 + pos[n % kNR];
    for (int64_t k = 0; k < k_count; ++k) d[(k >> 1) * 32 + (k & 1)] = static_cast<int16_t>(s[k]);
  }
}

/// ---- int8 packing (the VNNI path, both widths) ----
///
/// k values per int32 lane of vpdpbusd, and bytes of one packed k quad of a
/// B tile (16 columns x 4 k) and of an A panel (kMR rows x 4 k).
inline constexpr int kKQ = 4;
inline constexpr int kTileQuadBytes = kNR * kKQ;
inline constexpr int kPanelQuadBytes = kMR * kKQ;

/// v mod 2^32 as int32 (modular conversions, no overflow anywhere).
inline int32_t wrap_i32(int64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
}

/// The correction of one output whose weights are w[0..K): -128 sum w,
/// mod 2^32 (sums in int64: exact for any K below 2^48).
inline int32_t int8_correction(int64_t weight_sum) { return wrap_i32(-128 * weight_sum); }

/// Signed weights A (rows x K, row stride ld) packed as [panel][k quad]
/// [kMR rows][4] int8: element (m, k) at ((m / kMR) * kq + k / 4) * 16 +
/// (m % kMR) * 4 + k % 4, zero for m >= rows or k >= K. Size panels * kq *
/// 16 bytes. corr[m] = int8_correction(sum_k A[m, k]) for m < panels * kMR
/// (0 for the padding rows).
inline void pack_a8(const int32_t* src, int64_t rows, int64_t k_count, int64_t ld, int8_t* dst,
                    int32_t* corr) {
  const int64_t kq = ceil_div(k_count, kKQ);
  const int64_t panels = ceil_div(rows, kMR);
  std::fill(dst, dst + panels * kq * kPanelQuadBytes, int8_t{0});
  std::fill(corr, corr + panels * kMR, int32_t{0});
  for (int64_t m = 0; m < rows; ++m) {
    const int32_t* s = src + m * ld;
    int8_t* d = dst + (m / kMR) * kq * kPanelQuadBytes + (m % kMR) * kKQ;
    int64_t sum = 0;
    for (int64_t k = 0; k < k_count; ++k) {
      d[(k / kKQ) * kPanelQuadBytes + k % kKQ] = static_cast<int8_t>(s[k]);
      sum += s[k];
    }
    corr[m] = int8_correction(sum);
  }
}

/// Activations A (rows x K) packed as pack_a8 does, as unsigned u = x + 128;
/// zero outside (the B weights are 0 at k >= K; rows >= rows are dropped).
inline void pack_a8u(const int32_t* src, int64_t rows, int64_t k_count, int64_t ld, uint8_t* dst) {
  const int64_t kq = ceil_div(k_count, kKQ);
  const int64_t panels = ceil_div(rows, kMR);
  std::fill(dst, dst + panels * kq * kPanelQuadBytes, uint8_t{0});
  for (int64_t m = 0; m < rows; ++m) {
    const int32_t* s = src + m * ld;
    uint8_t* d = dst + (m / kMR) * kq * kPanelQuadBytes + (m % kMR) * kKQ;
    for (int64_t k = 0; k < k_count; ++k)
      d[(k / kKQ) * kPanelQuadBytes + k % kKQ] = static_cast<uint8_t>(s[k] + 128);
  }
}

/// Signed weights B = src^T (src cols x K, row stride ld) packed in tiles as
/// [tile][k quad][16 columns][4] int8, columns in natural order: element
/// (k, n) at ((n / 16) * kq + k / 4) * 64 + (n % 16) * 4 + k % 4, zero
/// outside. Size tiles * kq * 64 bytes. corr[n] = int8_correction(sum_k
/// src[n, k]) for n < tiles * 16 (0 for the padding columns).
inline void pack_b8_transposed(const int32_t* src, int64_t cols, int64_t k_count, int64_t ld,
                               int8_t* dst, int32_t* corr) {
  const int64_t kq = ceil_div(k_count, kKQ);
  const int64_t tiles = ceil_div(cols, kNR);
  std::fill(dst, dst + tiles * kq * kTileQuadBytes, int8_t{0});
  std::fill(corr, corr + tiles * kNR, int32_t{0});
  for (int64_t n = 0; n < cols; ++n) {
    const int32_t* s = src + n * ld;
    int8_t* d = dst + (n / kNR) * kq * kTileQuadBytes + (n % kNR) * kKQ;
    int64_t sum = 0;
    for (int64_t k = 0; k < k_count; ++k) {
      d[(k / kKQ) * kTileQuadBytes + k % kKQ] = static_cast<int8_t>(s[k]);
      sum += s[k];
    }
    corr[n] = int8_correction(sum);
  }
}

/// Whether the engine runs the int8 path at `level` (AVX-VNNI and up; the
/// caller's Exec::isa or KernelOptions::isa).
bool int8_gemm(Isa level);

/// One conv2d application for the AVX2 engine (all sizes of the node).
struct ConvProblem {
  int64_t n = 0, c = 0, h = 0, w = 0;  // x
  int64_t o = 0, kh = 0, kw = 0;       // w (channels, kernel)
  int64_t oh = 0, ow = 0;              // y spatial
  int64_t sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1, groups = 1;
  const int32_t* x = nullptr;
  const int16_t* a = nullptr;  // packed weights, per group pack_a(opg rows, K)
  int64_t a_group_stride = 0;  // int16 elements between groups' packs
  // The int8 path's weights (when int8_gemm(exec.isa)): per group pack_a8(opg rows,
  // K), a8_group_stride bytes apart, and its corrections, opg rounded up
  // to kMR per group.
  const int8_t* a8 = nullptr;
  int64_t a8_group_stride = 0;
  const int32_t* a8_corr = nullptr;
  const int32_t* bias = nullptr;  // per output channel, or nullptr
  int32_t* y = nullptr;
  const Epilogue* epilogue = nullptr;
  // The int8 hand-off between convolutions (fast/int8_handoff.h), int8
  // path only: where x8 is set, x arrives as bytes u = x + 128 (NCHW, one
  // per value) and x is not read; where y8 is set, the output goes there as
  // bytes v + 128 and y is not written (its precision is at most 8).
  const uint8_t* x8 = nullptr;
  uint8_t* y8 = nullptr;
  // The residual the epilogue adds (Epilogue::residual_at), in y's layout;
  // int8 path only (the kernel adds it after the other paths). residual8:
  // the same as bytes u = r + 128 (the int8 hand-off); at most one is set.
  const int32_t* residual = nullptr;
  const uint8_t* residual8 = nullptr;
};

/// int16 elements of the padded, column-phase-split copy of x the AVX2 conv
/// path builds (it falls back to the portable path when this is too large).
int64_t conv_buffer_elements(const ConvProblem& p);
/// The AVX2 conv2d (defined in gemm_common_avx2.cc).
void conv2d_avx2(const ConvProblem& p, const Exec& exec);

/// One dense application for the AVX2 engine: y (m x units) = x w^T + b.
struct DenseProblem {
  int64_t m = 0, k = 0, units = 0;
  const int32_t* x = nullptr;
  const int16_t* b_packed = nullptr;  // pack_b_transposed(w, units, K)
  const int8_t* b8 = nullptr;         // int8 path: pack_b8_transposed(w, units, K)
  const int32_t* b8_corr = nullptr;   // and its corrections
  const int32_t* bias = nullptr;      // per unit, or nullptr
  int32_t* y = nullptr;
  const Epilogue* epilogue = nullptr;
};
void dense_avx2(const DenseProblem& p, const Exec& exec);

/// Portable epilogue of one row of int32 sums: v = epi(v + bias) for
/// bias = row_bias + col_bias[i] (col_bias may be nullptr). Exact in int64.
inline void epilogue_row_portable(int32_t* v, int64_t count, int64_t row_bias,
                                  const int32_t* col_bias, const Epilogue& e) {
  for (int64_t i = 0; i < count; ++i) {
    const int64_t s = int64_t{v[i]} + row_bias + (col_bias != nullptr ? int64_t{col_bias[i]} : 0);
    v[i] = e.apply(s);
  }
}

}  // namespace cvm::fast::gemm
