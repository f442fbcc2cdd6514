// non_max_suppression - CUDA kernel (spec/ops/non_max_suppression.rst).
//
// What: per batch b, T = clip(valid_count[b], 0, N); the rows 0 .. T-1 in
// the order of a stable sort by descending score; then the reference's
// greedy scan, in exactly its sequential order: for i = 0, 1, ... while
// |Q| < n_max and i < p_max, row r = r_i is skipped when id(r) < 0, skipped
// when some kept q (same id, or force_suppress) has IOU(q, r) >=
// iou_threshold, else appended to Q; y[b, j] = data[b, q_j] for j < |Q|, -1
// elsewhere.
//
// Launch shape (four steps on the stream, no host round trip):
//  1. nms_keys_kernel (1-D grid-stride over B * N): each row gets the 64-bit
//     key ((2^31 - 1 - s) << 32) | n for n < T, and (0xFFFFFFFF << 32) | n
//     for n >= T. 2^31 - 1 - s lies in [0, 2^32 - 2] for |s| <= 2^31 - 1
//     (precision <= 32), so the keys are unique, the valid rows' keys sort
//     before every invalid row's, and ascending keys are the order by
//     (-s, n): the reference's std::stable_sort by descending score.
//  2. cub::DeviceSegmentedRadixSort::SortKeys, one segment of N keys per
//     batch (segment offsets b * N uploaded by the factory; scratch and the
//     temporary storage sized by the factory from the static shape). CUB's
//     radix sort is deterministic, and since the keys are unique any correct
//     sort gives the same sequence: the first T sorted keys name r_0 .. r_{T-1}.
//  3. nms_scan_kernel: ONE THREAD BLOCK PER BATCH (grid-stride over batches)
//     runs the scan sequentially over i, exactly the reference's loop; only
//     the test "is r suppressed by some kept q" is split over the block's
//     threads (each takes kept entries tid, tid + blockDim, ...), combined
//     with __syncthreads_or. That test is a pure predicate of (Q, r): its
//     value does not depend on which q is found first, so the kept list Q,
//     its order and the row count c are the reference's. Thread 0 appends
//     to Q (scratch, B * N int32) and a barrier publishes the entry before
//     the next candidate.
//  4. The same block then writes its batch's output rows: y[b, j, k] =
//     data[b, q_j, k] for j < c, -1 for j >= c (every element once).
//
// IOU: iou_percent below is the reference's, line by line, in signed 128-bit
// integers for the areas, S, I, U, 100 * I and the division (nvcc supports
// __int128 in device code), with the reference's two cases (the
// I > floor((2^63 - 1) / 100) fallback dividing I by U quot 100). One exact
// shortcut: I = 0 gives the quotient 0 (the divisor is >= 1), returned
// without dividing. Bounds: non_max_suppression_b2 (coordinate differences
// <= 2 R(p) in magnitude, formed in int64 from int32 coordinates) and
// non_max_suppression_b3 (areas, S, I, U, the dividend below 2^71, the
// divisor >= 1, the quotient in [0, 100]) license dropping the reference's
// assertions; non_max_suppression_b1: outputs are data values or -1.
#include <cub/device/device_segmented_radix_sort.cuh>

#include <algorithm>
#include <climits>
#include <vector>

#include "cuda/device_common.cuh"
#include "cvm/ops/non_max_suppression.h"

namespace cvm::cuda {
namespace {

__extension__ typedef __int128 Wide;

constexpr unsigned kBlock = 256;
// floor((2^63 - 1) / 100): above it the percent uses U quot 100 instead of 100 * I.
constexpr int64_t kFallbackLimit = INT64_MAX / 100;
constexpr uint64_t kInvalidHi = 0xFFFFFFFFull;

struct Box {
  int64_t x1, y1, x2, y2;
};

__host__ __device__ inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
__host__ __device__ inline int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

// IOU(a, b) as an integer percent: the reference's iou_percent.
__host__ __device__ inline int64_t iou_percent(const Box& a, const Box& b) {
  const Wide area_a = Wide{a.x2 - a.x1} * (a.y2 - a.y1);
  const Wide area_b = Wide{b.x2 - b.x1} * (b.y2 - b.y1);
  const Wide S = area_a + area_b;
  if (S <= 0) return 0;
  const int64_t w = max64(0, min64(a.x2, b.x2) - max64(a.x1, b.x1));
  const int64_t h = max64(0, min64(a.y2, b.y2) - max64(a.y1, b.y1));
  const Wide I = Wide{w} * h;
  const Wide U = S - I;
  if (U <= 0) return 0;
  if (I == 0) return 0;  // 100 * 0 quot U = 0 (U >= 1): exact shortcut
  Wide num = 0;
  Wide den = 0;
  if (I > kFallbackLimit) {
    num = I;
    den = U / 100;  // U > 0: truncation is floor; >= 1 here (b3)
  } else {
    num = 100 * I;
    den = U;
  }
  return static_cast<int64_t>(num / den);  // both >= 0: truncation is floor
}

struct NmsGeom {
  int64_t B, N;
  int64_t iou_threshold, top_k, max_output_size;
  bool force_suppress;
};

// The sort key of row n of a batch with T valid rows and score s.
__host__ __device__ inline uint64_t nms_key(int64_t n, int64_t T, int32_t s) {
  const uint64_t hi = n < T ? static_cast<uint64_t>(int64_t{INT32_MAX} - s) : kInvalidHi;
  return (hi << 32) | static_cast<uint64_t>(n);
}

__global__ void nms_keys_kernel(NmsGeom g, const int32_t* __restrict__ data,
                                const int32_t* __restrict__ valid_count,
                                uint64_t* __restrict__ keys) {
  const int64_t total = g.B * g.N;
  for (int64_t i = grid_start(); i < total; i += grid_stride()) {
    const int64_t b = i / g.N, n = i % g.N;
    const int64_t T = clip(valid_count[b], 0, g.N);
    keys[i] = nms_key(n, T, data[i * 6 + 1]);
  }
}

__global__ void nms_scan_kernel(NmsGeom g, const int32_t* __restrict__ data,
                                const int32_t* __restrict__ valid_count,
                                const uint64_t* __restrict__ sorted, int32_t* __restrict__ kept,
                                int32_t* __restrict__ y) {
  for (int64_t b = blockIdx.x; b < g.B; b += gridDim.x) {
    const int32_t* D = data + b * g.N * 6;
    const uint64_t* R = sorted + b * g.N;
    int32_t* Q = kept + b * g.N;
    // Every thread computes the same T, n_max, p_max, and below the same c:
    // all control flow of the scan is uniform over the block.
    const int64_t T = clip(valid_count[b], 0, g.N);
    const int64_t n_max = g.max_output_size < 0 ? T : min64(T, g.max_output_size);
    const int64_t p_max = g.top_k < 0 ? T : min64(T, g.top_k);
    int64_t c = 0;  // |Q|
    for (int64_t i = 0; c < n_max && i < p_max; ++i) {
      const auto r = static_cast<int64_t>(R[i] & 0xFFFFFFFFull);
      const int32_t* row = D + r * 6;
      if (row[0] < 0) continue;  // negative id: skipped, the scan goes on
      const Box br{row[2], row[3], row[4], row[5]};
      int hit = 0;
      for (int64_t t = threadIdx.x; t < c && !hit; t += blockDim.x) {
        const int32_t* qrow = D + static_cast<int64_t>(Q[t]) * 6;
        if (g.force_suppress || qrow[0] == row[0]) {
          const Box bq{qrow[2], qrow[3], qrow[4], qrow[5]};
          if (iou_percent(bq, br) >= g.iou_threshold) hit = 1;
        }
      }
      const int suppressed = __syncthreads_or(hit);
      if (!suppressed) {
        if (threadIdx.x == 0) Q[c] = static_cast<int32_t>(r);
        ++c;
        __syncthreads();  // Q[c - 1] visible to the block before it is read
      }
    }
    __syncthreads();
    int32_t* Y = y + b * g.N * 6;
    for (int64_t e = threadIdx.x; e < g.N * 6; e += blockDim.x) {
      const int64_t j = e / 6, k = e % 6;
      Y[e] = j < c ? D[static_cast<int64_t>(Q[j]) * 6 + k] : -1;
    }
    __syncthreads();  // Q is not reused across batches, but keep blocks in step
  }
}

class NmsKernel final : public NodeKernel {
 public:
  explicit NmsKernel(const NodeSpec& spec) {
    const auto& a = std::any_cast<const NonMaxSuppressionAttrs&>(spec.attrs);
    const Shape& ds = spec.inputs[0].shape;  // (B, N, 6)
    g_.B = ds[0];
    g_.N = ds[1];
    g_.iou_threshold = a.iou_threshold;
    g_.top_k = a.top_k;
    g_.max_output_size = a.max_output_size;
    g_.force_suppress = a.force_suppress;
    const int64_t total = g_.B * g_.N;  // <= 2^30 / 6: fits int
    std::vector<int> offsets(static_cast<size_t>(g_.B + 1));
    for (int64_t b = 0; b <= g_.B; ++b) offsets[static_cast<size_t>(b)] = static_cast<int>(b * g_.N);
    offsets_ = upload(std::span<const int>(offsets));
    keys_ = DeviceBuffer(static_cast<size_t>(total) * sizeof(uint64_t));
    sorted_ = DeviceBuffer(static_cast<size_t>(total) * sizeof(uint64_t));
    kept_ = DeviceBuffer(static_cast<size_t>(total) * sizeof(int32_t));
    const int* off = offsets_.as<int>();
    check_cuda(cub::DeviceSegmentedRadixSort::SortKeys(
                   nullptr, temp_bytes_, static_cast<const uint64_t*>(nullptr),
                   static_cast<uint64_t*>(nullptr), static_cast<int>(total),
                   static_cast<int>(g_.B), off, off + 1, 0, 64),
               "non_max_suppression: sort size query");
    temp_ = DeviceBuffer(std::max<size_t>(temp_bytes_, 1));
  }
  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const int32_t* data = in[0].data;
    const int32_t* valid_count = in[1].data;
    const int64_t total = g_.B * g_.N;
    nms_keys_kernel<<<grid_for(total, kBlock), kBlock, 0, stream>>>(g_, data, valid_count,
                                                                   keys_.as<uint64_t>());
    check_launch("non_max_suppression");
    const int* off = offsets_.as<int>();
    size_t bytes = temp_bytes_;
    check_cuda(cub::DeviceSegmentedRadixSort::SortKeys(
                   temp_.get(), bytes, keys_.as<const uint64_t>(), sorted_.as<uint64_t>(),
                   static_cast<int>(total), static_cast<int>(g_.B), off, off + 1, 0, 64, stream),
               "non_max_suppression: sort");
    const unsigned grid = static_cast<unsigned>(std::min<int64_t>(g_.B, 524280));
    nms_scan_kernel<<<grid, kBlock, 0, stream>>>(g_, data, valid_count, sorted_.as<uint64_t>(),
                                                 kept_.as<int32_t>(), out[0].data);
    check_launch("non_max_suppression");
  }

 private:
  NmsGeom g_;
  DeviceBuffer offsets_, keys_, sorted_, kept_, temp_;
  size_t temp_bytes_ = 0;
};

}  // namespace

std::unique_ptr<NodeKernel> make_non_max_suppression(const NodeSpec& spec) {
  return std::make_unique<NmsKernel>(spec);
}

}  // namespace cvm::cuda
