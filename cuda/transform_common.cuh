// Shared helpers of the CUDA "transform" group (transpose, strided_slice,
// slice_like, tile, repeat, upsampling; and the flat copies reshape, flatten,
// expand_dims, squeeze): kernels that only move int32 values, never compute
// on them.
//
// Every such op is a gather y[j] = x[src(j)] where src is affine in the output
// coordinates: per-dim source strides (possibly 0 or negative) and a base
// offset. A cvm::CopyPlan describes that map; the plans of transpose,
// strided_slice, slice_like, tile and repeat come from their builders in
// cvm/copy_plan.h (the same ones the fast backend uses), upsampling builds
// its own. device_plan() applies plan_simplify(), which drops unit dims and
// merges dims that are contiguous in the source; that only shortens the
// per-element index arithmetic, it does not change the map.
//
// Launch shape of plan_copy_kernel: a 1-D grid-stride loop over the output's
// flat indices j (grid_for(n) blocks of 256 threads); each thread unravels j
// over the plan's dims (innermost first) and reads x at base + sum idx_i *
// stride_i. Consecutive threads write consecutive outputs (coalesced stores);
// reads are coalesced whenever the innermost plan dim has stride 1.
//
// Arithmetic: |y| <= 2^30 and every plan dim <= |y| (tensor_c3), so the flat
// index and the unravel (div/mod) are exact in uint32; the offsets are summed
// in int64 (|stride_i| <= 2^30 for every dim of size >= 2, see
// cvm/copy_plan.h; idx_i < 2^30), and the final offset is an index of x
// (< 2^30).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <memory>

#include "cuda/device_common.cuh"
#include "cuda/kernel.h"
#include "cvm/copy_plan.h"
#include "cvm/shape.h"

namespace cvm::cuda::transform {

/// Threads per block of the transform kernels.
inline constexpr unsigned kBlock = 256;

/// The kernel's form of a plan: dims as uint32 (each <= 2^30), strides int64.
struct DevicePlan {
  int rank = 1;
  uint32_t dims[kPlanMaxRank] = {};
  int64_t stride[kPlanMaxRank] = {};
  int64_t base = 0;
  uint32_t size = 0;  // |y| <= 2^30
};

inline DevicePlan device_plan(const CopyPlan& plan) {
  const CopyPlan p = plan_simplify(plan);
  DevicePlan d;
  d.rank = p.rank;
  for (int i = 0; i < p.rank; ++i) {
    d.dims[i] = static_cast<uint32_t>(p.dims[i]);
    d.stride[i] = p.stride[i];
  }
  d.base = p.base;
  d.size = static_cast<uint32_t>(p.size());
  return d;
}

/// The source offset of output j: base + sum_i idx_i * stride_i with idx the
/// row-major multi-index of j over the plan's dims. R > 0: the plan has
/// exactly R dims (the loop unrolls); R == 0: any rank up to kPlanMaxRank.
template <int R>
__host__ __device__ inline int64_t plan_source(const DevicePlan& p, uint32_t j) {
  const int rank = R > 0 ? R : p.rank;
  uint32_t rest = j;
  int64_t off = p.base;
#ifdef __CUDA_ARCH__
#pragma unroll
#endif
  for (int i = (R > 0 ? R : kPlanMaxRank) - 1; i >= 0; --i) {
    if (i >= rank) continue;
    const uint32_t d = p.dims[i];
    const uint32_t q = rest / d;
    off += static_cast<int64_t>(rest - q * d) * p.stride[i];
    rest = q;
  }
  return off;
}

/// y[j] = x[plan_source(j)] for j < p.size.
template <int R>
__global__ void plan_copy_kernel(DevicePlan p, const int32_t* __restrict__ x,
                                 int32_t* __restrict__ y) {
  const int64_t n = p.size;
  for (int64_t j = grid_start(); j < n; j += grid_stride())
    y[j] = x[plan_source<R>(p, static_cast<uint32_t>(j))];
}

/// Enqueues the plan's copy of x into y (all |y| elements).
inline void launch_plan(const DevicePlan& p, const int32_t* x, int32_t* y, cudaStream_t stream,
                        const char* op) {
  const unsigned grid = grid_for(p.size, kBlock);
  switch (p.rank) {
    case 1:
      plan_copy_kernel<1><<<grid, kBlock, 0, stream>>>(p, x, y);
      break;
    case 2:
      plan_copy_kernel<2><<<grid, kBlock, 0, stream>>>(p, x, y);
      break;
    case 3:
      plan_copy_kernel<3><<<grid, kBlock, 0, stream>>>(p, x, y);
      break;
    case 4:
      plan_copy_kernel<4><<<grid, kBlock, 0, stream>>>(p, x, y);
      break;
    default:
      plan_copy_kernel<0><<<grid, kBlock, 0, stream>>>(p, x, y);
      break;
  }
  check_launch(op);
}

/// A node whose whole work is one CopyPlan from input 0 to output 0, fixed by
/// the node's (static) shapes and attributes in the factory.
class PlanKernel final : public NodeKernel {
 public:
  PlanKernel(const CopyPlan& plan, const char* op) : plan_(device_plan(plan)), op_(op) {}
  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    launch_plan(plan_, in[0].data, out[0].data, stream, op_);
  }

 private:
  DevicePlan plan_;
  const char* op_;
};

/// y = x element for element (reshape, flatten, expand_dims, squeeze): one
/// device-to-device cudaMemcpyAsync on the stream, skipped when the engine
/// gives input and output the same buffer (the op is in place).
class FlatCopyKernel final : public NodeKernel {
 public:
  explicit FlatCopyKernel(const char* op) : op_(op) {}
  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    int32_t* dst = out[0].data;
    const int32_t* src = in[0].data;
    if (dst == src) return;
    const size_t bytes = static_cast<size_t>(shape_size(out[0].type.shape)) * sizeof(int32_t);
    check_cuda(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream), op_);
  }

 private:
  const char* op_;
};

}  // namespace cvm::cuda::transform
