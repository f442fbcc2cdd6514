// get_valid_counts - CUDA kernel (spec/ops/get_valid_counts.rst).
//
// What: per batch b, the rows n of x[b] whose score x[b, n, 1] > t (strictly;
// t = score_threshold compared in int64, as the reference does) are copied
// whole, in increasing n, to y[b, 0 .. c_b); valid_count[b] = c_b; the rows
// y[b, c_b .. N) are -1.
// Exactness of the order: the rows of a batch are split into parts of
// kRowsPerPart consecutive rows (a fixed split: it depends only on N). The
// output row of a kept row n is (number of kept rows of the earlier parts) +
// (number of kept rows before n within its part): exactly its rank j among
// the kept rows in increasing order, the reference's position. Three
// launches on the stream:
//  1. gvc_count_kernel: one block per (b, part) (grid-stride over them),
//     counting the part's kept rows (block tree sum) into counts[b, part].
//  2. gvc_offsets_kernel: one thread per batch walks the parts in order,
//     replacing counts[b, part] by the exclusive prefix (the part's first
//     output row) and writing valid_count[b] = c_b.
//  3. gvc_scatter_kernel: one block per (b, part); the part's rows are taken
//     in chunks of kBlock consecutive rows; a block-wide exclusive scan (a
//     Hillis-Steele scan in shared memory) of the chunk's kept flags gives
//     each kept row its rank within the part, so each thread copies its kept
//     row (K <= 31 values) to its output row; then the block writes -1 over
//     the output rows j >= c_b of its own row range [part start, part end),
//     so every output row is written exactly once (rows j < c_b by the
//     scatter of the part holding n_j, rows j >= c_b by the fill of the part
//     whose range holds j).
// Scratch: counts, B * parts int32, allocated by the factory.
// Bounds: get_valid_counts_b1: every output is a value of x, or -1, or a
// count 0 <= c_b <= N <= 2^24, so no wider arithmetic and no check is needed
// (counts and ranks are < 2^24 in int32/uint32; flat offsets < 2^30 in int64).
#include <algorithm>

#include "cuda/device_common.cuh"
#include "cvm/ops/get_valid_counts.h"

namespace cvm::cuda {
namespace {

constexpr unsigned kBlock = 256;  // a power of two
constexpr int64_t kRowsPerPart = 4096;

struct GvcGeom {
  int64_t B, N, K;
  int64_t parts;  // per batch
  int64_t t;      // score_threshold
};

__host__ __device__ inline int64_t part_begin(const GvcGeom& g, int64_t p) { return g.N * p / g.parts; }

// Block-wide sum of one value per thread; every thread gets the total.
__device__ int32_t block_sum(int32_t v) {
  __shared__ int32_t buf[kBlock];
  __syncthreads();  // buf may still be read by the previous call
  buf[threadIdx.x] = v;
  __syncthreads();
  for (unsigned s = kBlock / 2; s > 0; s /= 2) {
    if (threadIdx.x < s) buf[threadIdx.x] += buf[threadIdx.x + s];
    __syncthreads();
  }
  return buf[0];
}

// Block-wide exclusive scan of flag (0 or 1) in thread order; *total gets the
// sum over the block (the same in every thread).
__device__ int32_t block_exclusive_scan(int32_t flag, int32_t* total) {
  __shared__ int32_t buf[kBlock];
  __syncthreads();  // buf may still be read by the previous call
  buf[threadIdx.x] = flag;
  __syncthreads();
  for (unsigned d = 1; d < kBlock; d *= 2) {
    const int32_t add = threadIdx.x >= d ? buf[threadIdx.x - d] : 0;
    __syncthreads();
    buf[threadIdx.x] += add;
    __syncthreads();
  }
  *total = buf[kBlock - 1];
  return buf[threadIdx.x] - flag;  // inclusive minus own flag
}

__global__ void gvc_count_kernel(GvcGeom g, const int32_t* __restrict__ x,
                                 int32_t* __restrict__ counts) {
  for (int64_t w = blockIdx.x; w < g.B * g.parts; w += gridDim.x) {
    const int64_t b = w / g.parts, p = w % g.parts;
    const int64_t n0 = part_begin(g, p), n1 = part_begin(g, p + 1);
    int32_t c = 0;
    for (int64_t n = n0 + threadIdx.x; n < n1; n += blockDim.x)
      c += static_cast<int64_t>(x[(b * g.N + n) * g.K + 1]) > g.t ? 1 : 0;
    c = block_sum(c);
    if (threadIdx.x == 0) counts[w] = c;
  }
}

__global__ void gvc_offsets_kernel(GvcGeom g, int32_t* __restrict__ counts,
                                   int32_t* __restrict__ valid_count) {
  for (int64_t b = grid_start(); b < g.B; b += grid_stride()) {
    int32_t acc = 0;
    for (int64_t p = 0; p < g.parts; ++p) {
      const int32_t c = counts[b * g.parts + p];
      counts[b * g.parts + p] = acc;
      acc += c;
    }
    valid_count[b] = acc;
  }
}

__global__ void gvc_scatter_kernel(GvcGeom g, const int32_t* __restrict__ x,
                                   const int32_t* __restrict__ first,
                                   const int32_t* __restrict__ valid_count,
                                   int32_t* __restrict__ y) {
  for (int64_t w = blockIdx.x; w < g.B * g.parts; w += gridDim.x) {
    const int64_t b = w / g.parts, p = w % g.parts;
    const int64_t n0 = part_begin(g, p), n1 = part_begin(g, p + 1);
    const int32_t* xb = x + b * g.N * g.K;
    int32_t* yb = y + b * g.N * g.K;
    int64_t next = first[w];  // output row of the chunk's first kept row
    // Chunks of kBlock rows; every thread runs every chunk (uniform loop).
    for (int64_t c0 = n0; c0 < n1; c0 += kBlock) {
      const int64_t n = c0 + threadIdx.x;
      const int32_t flag =
          n < n1 && static_cast<int64_t>(xb[n * g.K + 1]) > g.t ? 1 : 0;
      int32_t total = 0;
      const int32_t rank = block_exclusive_scan(flag, &total);
      if (flag) {
        const int64_t j = next + rank;
        for (int64_t k = 0; k < g.K; ++k) yb[j * g.K + k] = xb[n * g.K + k];
      }
      next += total;
    }
    // -1 over the output rows j >= c_b within this part's range.
    const int64_t cb = valid_count[b];
    const int64_t f0 = (cb > n0 ? cb : n0) * g.K;
    const int64_t f1 = n1 * g.K;
    for (int64_t e = f0 + threadIdx.x; e < f1; e += blockDim.x) yb[e] = -1;
  }
}

class GetValidCountsKernel final : public NodeKernel {
 public:
  explicit GetValidCountsKernel(const NodeSpec& spec) {
    const auto& a = std::any_cast<const GetValidCountsAttrs&>(spec.attrs);
    const Shape& xs = spec.inputs[0].shape;
    g_.B = xs[0];
    g_.N = xs[1];
    g_.K = xs[2];
    g_.parts = (g_.N + kRowsPerPart - 1) / kRowsPerPart;
    g_.t = a.score_threshold;
    counts_ = DeviceBuffer(static_cast<size_t>(g_.B * g_.parts) * sizeof(int32_t));
  }
  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const int32_t* x = in[0].data;
    int32_t* valid_count = out[0].data;
    int32_t* y = out[1].data;
    int32_t* counts = counts_.as<int32_t>();
    const unsigned grid = static_cast<unsigned>(std::min<int64_t>(g_.B * g_.parts, 524280));
    gvc_count_kernel<<<grid, kBlock, 0, stream>>>(g_, x, counts);
    check_launch("get_valid_counts");
    gvc_offsets_kernel<<<grid_for(g_.B, kBlock), kBlock, 0, stream>>>(g_, counts, valid_count);
    check_launch("get_valid_counts");
    gvc_scatter_kernel<<<grid, kBlock, 0, stream>>>(g_, x, counts, valid_count, y);
    check_launch("get_valid_counts");
  }

 private:
  GvcGeom g_;
  DeviceBuffer counts_;
};

}  // namespace

std::unique_ptr<NodeKernel> make_get_valid_counts(const NodeSpec& spec) {
  return std::make_unique<GetValidCountsKernel>(spec);
}

}  // namespace cvm::cuda
