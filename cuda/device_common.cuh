// Device-side helpers shared by the CUDA kernels: shapes passed by value to
// kernels, index arithmetic, and grid-stride loops. The integer helpers of
// cvm/intmath.h (prec_max, floor_div, shr_floor, clip, ...) are constexpr and
// are called from device code directly (nvcc --expt-relaxed-constexpr).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "cvm/intmath.h"
#include "cvm/shape.h"
#include "cuda/kernel.h"

namespace cvm::cuda {

/// A shape of rank <= kMaxRank, small enough to pass as a kernel argument.
struct Dims {
  int rank = 0;
  int64_t d[kMaxRank] = {};

  __host__ __device__ int64_t size() const {
    int64_t n = 1;
    for (int i = 0; i < rank; ++i) n *= d[i];
    return n;
  }
};

/// The device form of a host shape (rank <= kMaxRank by tensor_c1).
inline Dims dims_of(const Shape& s) {
  Dims out;
  out.rank = static_cast<int>(s.size());
  for (int i = 0; i < out.rank; ++i) out.d[i] = s[static_cast<size_t>(i)];
  return out;
}

/// Row-major multi-index of flat index `flat` in `dims` (idx has rank entries).
__host__ __device__ inline void unravel_index(int64_t flat, const Dims& dims, int64_t* idx) {
  for (int i = dims.rank - 1; i >= 0; --i) {
    idx[i] = flat % dims.d[i];
    flat /= dims.d[i];
  }
}

/// Row-major flat index of a multi-index.
__host__ __device__ inline int64_t ravel_index(const int64_t* idx, const Dims& dims) {
  int64_t flat = 0;
  for (int i = 0; i < dims.rank; ++i) flat = flat * dims.d[i] + idx[i];
  return flat;
}

/// First index and stride of a grid-stride loop over [0, n).
__device__ inline int64_t grid_start() {
  return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ inline int64_t grid_stride() { return static_cast<int64_t>(gridDim.x) * blockDim.x; }

}  // namespace cvm::cuda
