// The portable pieces of the direct depthwise conv2d (fast/conv2d_depthwise.h):
// buffer geometry, the applicability test and the weight lanes.
#include "fast/conv2d_depthwise.h"

#include <algorithm>

namespace cvm::fast::depthwise {

Geometry geometry(const gemm::ConvProblem& p) {
  Geometry g;
  g.row_pairs = gemm::ceil_div(p.kh, 2);
  g.owv = gemm::ceil_div(p.ow, kLanes) * kLanes;
  // Tap v reads phase (v dw) % sw from lane (v dw) / sw on.
  g.t = g.owv + (p.kw - 1) * p.dw / p.sw;
  g.rows = (p.oh - 1) * p.sh + 2 * (g.row_pairs - 1) * p.dh + 1;
  g.plane = g.rows * p.sw * g.t;
  return g;
}

bool applies(const gemm::ConvProblem& p) {
  // groups == 1 (C <= kMaxGroupChannels, e.g. a first layer on one channel)
  // stays on the GEMM: its M = O rows fill the micro-kernel (measured
  // faster there on AVX2).
  if (p.groups == 1 || p.c / p.groups > kMaxGroupChannels) return false;
  // Strides and paddings far beyond the image make the buffer mostly
  // padding (and unused phases): leave those to the other paths.
  const Geometry g = geometry(p);
  return g.plane <= std::max<int64_t>(int64_t{1} << 20, 8 * p.h * p.w);
}

std::vector<int32_t> pack_weight_pairs(const int32_t* w, int64_t o, int64_t kh, int64_t kw) {
  const int64_t row_pairs = gemm::ceil_div(kh, 2);
  std::vector<int32_t> out(static_cast<size_t>(o * row_pairs * kw));
  for (int64_t m = 0; m < o; ++m)
    for (int64_t up = 0; up < row_pairs; ++up)
      for (int64_t v = 0; v < kw; ++v) {
        const int32_t* wm = w + m * kh * kw;
        const int32_t lo = wm[2 * up * kw + v];
        const int32_t hi = 2 * up + 1 < kh ? wm[(2 * up + 1) * kw + v] : 0;
        out[static_cast<size_t>((m * row_pairs + up) * kw + v)] = pair16(lo, hi);
      }
  return out;
}

}  // namespace cvm::fast::depthwise
