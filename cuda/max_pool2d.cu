// max_pool2d - CUDA kernel (spec/ops/max_pool2d.rst).
//
// What: y[n, c, h', w'] = the maximum of x[n, c, hh, ww] over the window
// hh = h' S_H + r - P_H (r < K_H), ww = w' S_W + s - P_W (s < K_W), cells
// outside x (padding, or past the edge with ceil_mode) ignored. The window is
// clipped once to the rows [max(0, h' S_H - P_H), min(H, h' S_H - P_H + K_H))
// and the columns likewise, which are exactly the reference's cells that pass
// its "inside x" test, so no placeholder value for padding is ever read.
// Launch shape: pool_kernel, a 1-D grid-stride loop over the output
// (grid_for(|y|) blocks of 256 threads), one thread per output element
// looping over its clipped window (row by row: consecutive threads of a row
// read neighbouring columns).
// Bounds: max_pool2d_b2: every window holds at least one cell of x, so the
// clipped ranges are non-empty and the fold, started from INT32_MIN (no
// value of precision <= 32), ends at a cell value: the reference's maximum.
// max_pool2d_b1: the output is an element of x, so int32 is exact and the
// visiting order does not matter. Window coordinates lie in
// [-P_H, H + K_H) (below 2^26 in magnitude, b2) and are formed in int64;
// the output index (< 2^30) is unravelled in uint32.
#include <climits>

#include "cuda/device_common.cuh"
#include "cvm/ops/max_pool2d.h"

namespace cvm::cuda {
namespace {

constexpr unsigned kBlock = 256;

struct PoolGeom {
  int64_t H, W;          // input plane
  uint32_t OH, OW;       // output plane
  int64_t KH, KW, SH, SW, PH, PW;
  int64_t n;             // |y|
};

// Output o's value: the maximum over its clipped window.
__host__ __device__ inline int32_t pool_value(const PoolGeom& g, const int32_t* x, uint32_t u) {
  const uint32_t row = u / g.OW;  // nc * OH + oh
  const uint32_t ow = u - row * g.OW;
  const uint32_t nc = row / g.OH;
  const uint32_t oh = row - nc * g.OH;
  const int64_t hs = static_cast<int64_t>(oh) * g.SH - g.PH;
  const int64_t ws = static_cast<int64_t>(ow) * g.SW - g.PW;
  const int64_t h0 = hs > 0 ? hs : 0;
  const int64_t h1 = hs + g.KH < g.H ? hs + g.KH : g.H;
  const int64_t w0 = ws > 0 ? ws : 0;
  const int64_t w1 = ws + g.KW < g.W ? ws + g.KW : g.W;
  const int32_t* plane = x + static_cast<int64_t>(nc) * g.H * g.W;
  int32_t acc = INT32_MIN;
  for (int64_t h = h0; h < h1; ++h) {
    const int32_t* r = plane + h * g.W;
    for (int64_t w = w0; w < w1; ++w) acc = r[w] > acc ? r[w] : acc;
  }
  return acc;
}

__global__ void pool_kernel(PoolGeom g, const int32_t* __restrict__ x, int32_t* __restrict__ y) {
  for (int64_t o = grid_start(); o < g.n; o += grid_stride())
    y[o] = pool_value(g, x, static_cast<uint32_t>(o));
}

PoolGeom pool_geom(const MaxPool2dAttrs& a, const Shape& xs, const Shape& ys) {
  PoolGeom g;
  g.H = xs[2];
  g.W = xs[3];
  g.OH = static_cast<uint32_t>(ys[2]);
  g.OW = static_cast<uint32_t>(ys[3]);
  g.KH = a.pool_h;
  g.KW = a.pool_w;
  g.SH = a.stride_h;
  g.SW = a.stride_w;
  g.PH = a.pad_h;
  g.PW = a.pad_w;
  g.n = shape_size(ys);
  return g;
}

void run_pool(const MaxPool2dAttrs& a, const DeviceInputs& in, const DeviceOutputs& out,
              cudaStream_t stream) {
  const PoolGeom g = pool_geom(a, in[0].type.shape, out[0].type.shape);
  pool_kernel<<<grid_for(g.n, kBlock), kBlock, 0, stream>>>(g, in[0].data, out[0].data);
  check_launch("max_pool2d");
}

}  // namespace

std::unique_ptr<NodeKernel> make_max_pool2d(const NodeSpec& spec) {
  return function_kernel<MaxPool2dAttrs>(spec, run_pool);
}

}  // namespace cvm::cuda
