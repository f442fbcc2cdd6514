// Direct depthwise conv2d of the fast backend: conv2d with one input channel
// per group (groups == C; each group has O / C output channels, the
// channel multiplier), e.g. MobileNet's 3x3 layers, and groups of two
// input channels (kMaxGroupChannels). The grouped GEMM
// (fast/gemm_common_avx2.cc) would run one tiny GEMM per group (M = O / C
// rows, K = KH KW); this kernel instead slides the window along output rows
// with vectors of output columns (fast/conv2d_depthwise_avx2.cc).
//
// Plane buffer: per (batch, input channel) a padded copy of the input plane,
// where each int32 lane holds two int16 values of one column from two rows
// dh apart (row i in the low half, row i + dh in the high half), and each
// row is split into sw column phases (phase f holds padded columns f + sw t),
// so that a window tap's values for consecutive output columns are
// consecutive lanes whatever the stride. One vpmaddwd (AVX2) or vpdpwssd
// (AVX-512 VNNI) then multiplies a vector of output columns by the weights
// of two kernel rows (u, u + 1) at one column v: the kernel rows go in pairs,
// an odd last row paired with weight 0. Padding cells are x = 0 in the
// buffer, so no border case reaches the inner loop. (The kernel builds it
// a band of rows at a time; with sw = 2 and dw = 1 it pairs adjacent
// columns of one row instead: see conv2d_depthwise_avx2.cc.)
//
// Exactness: conv2d_c14 gives |x|, |w| <= 127, so the int16 halves are exact
// and each pair sum (<= 2 * 127^2) is exact; conv2d_b2 bounds every partial
// sum and the biased sum by R(p_y) <= 2^31 - 1, so int32 accumulation in any
// order equals the reference's sum. Each output plane is computed by one
// task, so results do not depend on the thread count.
//
// CPUs without AVX2 keep fast/conv2d.cc's portable path, which is already a
// direct per-output-plane loop for depthwise shapes.
#pragma once

#include <cstdint>
#include <vector>

#include "fast/gemm_common.h"

namespace cvm::fast::depthwise {

/// Output columns per vector block of the plane kernels (the AVX-512 width;
/// AVX2 runs two 8-lane halves).
inline constexpr int64_t kLanes = 16;

/// The sizes of one plane buffer for a problem.
struct Geometry {
  int64_t row_pairs = 0;  // ceil(KH / 2): kernel rows taken two at a time
  int64_t owv = 0;        // output columns rounded up to kLanes
  int64_t t = 0;          // lanes per phase row: owv + the widest tap offset
  int64_t rows = 0;       // padded rows read: (OH - 1) sh + 2 (row_pairs - 1) dh + 1
  int64_t plane = 0;      // int32 elements of one plane buffer: rows * sw * t
};

Geometry geometry(const gemm::ConvProblem& p);

/// Grouped conv2d with up to this many input channels per group runs here
/// too (each output sums its group's channels' taps). Measured against the
/// grouped GEMM (bench/fast_ops_bench.cc, conv2d/g_icg*): 2.3x faster with
/// 2 channels per group, slower from 4 on.
inline constexpr int64_t kMaxGroupChannels = 2;

/// Whether the direct kernel takes p: more than one group, of at most
/// kMaxGroupChannels input channels, and a plane buffer of moderate size
/// (huge paddings or strides keep the other paths), and not forced off.
bool applies(const gemm::ConvProblem& p);

/// The two int16 halves (lo, hi) of one buffer or weight lane (|lo|, |hi| <=
/// 127 here, but any int16 values are kept exactly).
inline int32_t pair16(int32_t lo, int32_t hi) {
  const uint32_t l = static_cast<uint16_t>(lo), h = static_cast<uint16_t>(hi);
  return static_cast<int32_t>(l | (h << 16));
}

/// Weights (o kernels of KH x KW, e.g. OIHW with I = 1) as lanes: for
/// kernel m, kernel row pair up and column v, at (m * row_pairs + up) * KW +
/// v, pair16(w[m, 2 up, v], w[m, 2 up + 1, v] or 0 past the last row).
std::vector<int32_t> pack_weight_pairs(const int32_t* w, int64_t o, int64_t kh, int64_t kw);

/// The depthwise conv2d on AVX2, or with AVX-512 VNNI plane kernels when
/// `avx512` (the caller's level is the VNNI one); w is the OIHW weight data.
/// Defined in conv2d_depthwise_avx2.cc; call only when use_avx2(exec.isa).
void conv2d_avx2(const gemm::ConvProblem& p, const int32_t* w, bool avx512, const Exec& exec);

}  // namespace cvm::fast::depthwise
