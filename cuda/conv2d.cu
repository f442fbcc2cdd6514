// conv2d - CUDA kernel (NCHW x, OIHW w, groups, strides, padding, dilation),
// and the int8 GEMM engine it shares with dense (cuda/gemm_int8.h).
//
// Tensor-core path (tensor_core_eligible(): compute capability >= 8.0 and at
// least gemm::kMinRows output channels per group): an implicit GEMM per group,
// rows = output channels, columns = output pixels (n, r, q), depth = the
// K = ICG * KH * KW terms (gemm_int8.h). Weights are packed ONCE by the
// factory when w is a constant (else by a pack kernel at the start of each
// launch, into scratch the factory allocated) into int8 [group][mpad][kpad],
// zero outside [0, OPG) x [0, K). The activation tile is gathered from int32 x
// straight into shared memory as int8 (implicit im2col, through a per-k table
// of (channel offset, u DH, v DW) built by the factory; padding and k >= K
// read 0). Launch: grid (ceil(N OH OW / 128), mpad / 128, groups), 256
// threads; each block a 128 x 128 output tile, 8 warps of 64 x 32, each warp
// 4 x 4 mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 (inline PTX) per
// 32-deep k slice, int32 accumulators; register prefetch of the next slice
// while the current one is multiplied. Epilogue: int64 acc + bias, stored
// as int32. The mma is compiled only for __CUDA_ARCH__ >= 800; other
// architectures (the PTX fallback JIT-compiled for an older device) compute
// the block's tile with the simple per-element code instead.
//
// Simple path (everything else, and force_simple_gemm(true)): one thread per
// output element (grid-stride), the reference's c, u, v loops with int64
// accumulation, then the bias.
//
// Exactness: conv2d_c14 (|x|, |w| <= 127: exact int8 operands) and conv2d_b2
// (every partial sum, i.e. any subset of the K terms, is at most
// K R(px) R(pw) <= R(p_y) <= 2^31 - 1: int32 accumulation in any order, the
// mma's included, is exact); the bias is added in int64 and the biased sum fits
// int32 by conv2d_b1. Results are independent of grid and tile sizes.
#include <atomic>
#include <memory>
#include <span>
#include <vector>

#include "cuda/device_common.cuh"
#include "cuda/gemm_int8.h"
#include "cuda/kernel.h"
#include "cvm/ops/conv2d.h"
#include "cvm/tensor.h"

namespace cvm::cuda {

namespace {
std::atomic<bool> g_force_simple{false};
}  // namespace

void force_simple_gemm(bool force) { g_force_simple.store(force); }
bool simple_gemm_forced() { return g_force_simple.load(); }

bool tensor_core_eligible(const ConvGeometry& g) {
  int device = 0, major = 0;
  if (cudaGetDevice(&device) != cudaSuccess) return false;
  if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess)
    return false;
  if (major < 8) return false;
  if (g.opg < gemm::kMinRows || g.npix < 1) return false;
  // Grid limits (y and z dims <= 65535) and bounded scratch/table sizes.
  if (g.mpad / gemm::kBM > 65535 || g.groups > 65535) return false;
  if ((g.npix + gemm::kBN - 1) / gemm::kBN > 0x7fffffff) return false;
  if (g.k > (int64_t{1} << 24)) return false;
  if (g.groups * g.mpad * g.kpad > (int64_t{1} << 32)) return false;
  return true;
}

namespace {

using gemm::kBK;
using gemm::kBM;
using gemm::kBN;
using gemm::kRowBytes;
using gemm::kRowWords;
using gemm::kThreads;
using gemm::KTerm;

// ---- simple path --------------------------------------------------------------

/// The reference's sum for output element (n, oc, r, q), int64, plus the bias.
__device__ int64_t conv_element(const ConvGeometry& g, const int32_t* __restrict__ x,
                                const int32_t* __restrict__ w, const int32_t* __restrict__ bias,
                                int64_t n, int64_t oc, int64_t r, int64_t q) {
  int64_t acc = 0;
  const int64_t grp = oc / g.opg;
  for (int64_t ic = 0; ic < g.icg; ++ic)
    for (int64_t u = 0; u < g.kh; ++u)
      for (int64_t v = 0; v < g.kw; ++v) {
        const int64_t ch = grp * g.icg + ic;
        const int64_t ih = r * g.sh + u * g.dh - g.ph;
        const int64_t iw = q * g.sw + v * g.dw - g.pw;
        if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;  // padding reads 0
        const int64_t xv = x[((n * g.c + ch) * g.h + ih) * g.w + iw];
        const int64_t wv = w[((oc * g.icg + ic) * g.kh + u) * g.kw + v];
        acc += xv * wv;
      }
  if (g.use_bias) acc += int64_t{bias[oc]};
  return acc;
}

/// One thread per output element y[n, oc, r, q] (row-major flat index).
__global__ void conv_simple_kernel(ConvGeometry g, const int32_t* __restrict__ x,
                                   const int32_t* __restrict__ w, const int32_t* __restrict__ bias,
                                   int32_t* __restrict__ y) {
  const int64_t total = g.n * g.o * g.oh * g.ow;
  for (int64_t i = grid_start(); i < total; i += grid_stride()) {
    const int64_t q = i % g.ow;
    int64_t t = i / g.ow;
    const int64_t r = t % g.oh;
    t /= g.oh;
    const int64_t oc = t % g.o;
    const int64_t n = t / g.o;
    y[i] = static_cast<int32_t>(conv_element(g, x, w, bias, n, oc, r, q));
  }
}

// ---- weight packing -----------------------------------------------------------

/// The packed int8 weights (gemm::packed_weight), one element per thread.
__global__ void pack_weights_kernel(ConvGeometry g, const int32_t* __restrict__ w,
                                    int8_t* __restrict__ packed) {
  const int64_t total = g.groups * g.mpad * g.kpad;
  for (int64_t i = grid_start(); i < total; i += grid_stride()) packed[i] = gemm::packed_weight(g, w, i);
}

// ---- tensor-core path -----------------------------------------------------------

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
/// D += A B for one m16n8k32 tile (fragments as in gemm_int8.h); sm_80+ only.
__device__ __forceinline__ void mma_s8(int32_t (&d)[4], const uint32_t (&a)[4],
                                       const uint32_t (&b)[2]) {
  asm volatile(
      "mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 "
      "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
      : "+r"(d[0]), "+r"(d[1]), "+r"(d[2]), "+r"(d[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}
#endif

/// One block: the 128 x 128 tile (rows m0.., columns p0..) of group
/// blockIdx.z's GEMM. `packed` holds the int8 weights, `kterms` the K terms;
/// `w` (int32 weights) is read only by the fallback below sm_80.
__global__ void __launch_bounds__(kThreads)
    conv_mma_kernel(ConvGeometry g, const int32_t* __restrict__ x, const int8_t* __restrict__ packed,
                    const KTerm* __restrict__ kterms, const int32_t* __restrict__ w,
                    const int32_t* __restrict__ bias, int32_t* __restrict__ y) {
  const int64_t p0 = static_cast<int64_t>(blockIdx.x) * kBN;
  const int64_t m0 = static_cast<int64_t>(blockIdx.y) * kBM;
  const int64_t grp = blockIdx.z;
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  __shared__ __align__(16) uint32_t s_a[kBM * kRowWords];
  __shared__ __align__(16) uint32_t s_b[kBN * kRowWords];
  const int tid = static_cast<int>(threadIdx.x);
  const int warp = tid / 32, lane = tid % 32;

  // A loader: 16 bytes of row a_row, k [16 a_half, +16) of each slice.
  const int a_row = gemm::a_load_row(tid), a_half = gemm::a_load_half(tid);
  const int8_t* a_src = packed + ((grp * g.mpad) + m0 + a_row) * g.kpad + 16 * a_half;
  // B loader: column b_col (pixel p0 + b_col), k [16 b_half, +16) of each slice.
  const int b_col = gemm::b_load_col(tid), b_half = gemm::b_load_half(tid);
  const gemm::PixelBase pix = gemm::pixel_base(g, grp, p0 + b_col);

  uint4 a_reg;
  uint32_t b_reg[4];
  auto load_slice = [&](int64_t k0) {
    a_reg = *reinterpret_cast<const uint4*>(a_src + k0);
    #pragma unroll
    for (int j = 0; j < 4; ++j) {
      uint32_t word = 0;
      #pragma unroll
      for (int e = 0; e < 4; ++e) {
        const int64_t k = k0 + 16 * b_half + 4 * j + e;
        const int32_t v = pix.ok && k < g.k ? gemm::b_value(g, x, pix, kterms[k]) : 0;
        // |v| <= 127 (conv2d_c14): its low byte is its int8 two's complement.
        word |= static_cast<uint32_t>(static_cast<uint8_t>(static_cast<int8_t>(v))) << (8 * e);
      }
      b_reg[j] = word;
    }
  };

  int32_t acc[gemm::kTilesM][gemm::kTilesN][4];
  #pragma unroll
  for (int tm = 0; tm < gemm::kTilesM; ++tm)
    #pragma unroll
    for (int tn = 0; tn < gemm::kTilesN; ++tn)
      #pragma unroll
      for (int i = 0; i < 4; ++i) acc[tm][tn][i] = 0;

  const int64_t slices = g.kpad / kBK;
  load_slice(0);
  for (int64_t s = 0; s < slices; ++s) {
    *reinterpret_cast<uint4*>(&s_a[a_row * kRowWords + 4 * a_half]) = a_reg;
    *reinterpret_cast<uint4*>(&s_b[b_col * kRowWords + 4 * b_half]) =
        make_uint4(b_reg[0], b_reg[1], b_reg[2], b_reg[3]);
    __syncthreads();
    if (s + 1 < slices) load_slice((s + 1) * kBK);  // global loads overlap the mma below
    uint32_t af[gemm::kTilesM][4], bf[gemm::kTilesN][2];
    #pragma unroll
    for (int tm = 0; tm < gemm::kTilesM; ++tm)
      #pragma unroll
      for (int r = 0; r < 4; ++r) af[tm][r] = s_a[gemm::a_smem_word(warp, tm, lane, r)];
    #pragma unroll
    for (int tn = 0; tn < gemm::kTilesN; ++tn)
      #pragma unroll
      for (int r = 0; r < 2; ++r) bf[tn][r] = s_b[gemm::b_smem_word(warp, tn, lane, r)];
    #pragma unroll
    for (int tm = 0; tm < gemm::kTilesM; ++tm)
      #pragma unroll
      for (int tn = 0; tn < gemm::kTilesN; ++tn) mma_s8(acc[tm][tn], af[tm], bf[tn]);
    __syncthreads();  // the slice is consumed before the next store
  }

  // Epilogue: y[n, grp OPG + m, r, q] = acc + b (int64), rows < OPG, pixels < N OH OW.
  #pragma unroll
  for (int tm = 0; tm < gemm::kTilesM; ++tm)
    #pragma unroll
    for (int tn = 0; tn < gemm::kTilesN; ++tn)
      #pragma unroll
      for (int i = 0; i < 4; ++i) {
        const int64_t m = m0 + gemm::c_tile_row(warp, tm, lane, i);
        const int64_t p = p0 + gemm::c_tile_col(warp, tn, lane, i);
        if (m >= g.opg || p >= g.npix) continue;
        int64_t v = int64_t{acc[tm][tn][i]};
        if (g.use_bias) v += int64_t{bias[grp * g.opg + m]};
        y[gemm::y_offset(g, grp, m, p)] = static_cast<int32_t>(v);
      }
#else
  // Below sm_80 (no int8 mma): the same tile, one element per thread at a time.
  (void)packed, (void)kterms;
  const int64_t ohw = g.oh * g.ow;
  for (int e = static_cast<int>(threadIdx.x); e < kBM * kBN; e += static_cast<int>(blockDim.x)) {
    const int64_t m = m0 + e / kBN, p = p0 + e % kBN;
    if (m >= g.opg || p >= g.npix) continue;
    const int64_t n = p / ohw, rem = p % ohw;
    y[gemm::y_offset(g, grp, m, p)] = static_cast<int32_t>(
        conv_element(g, x, w, bias, n, grp * g.opg + m, rem / g.ow, rem % g.ow));
  }
#endif
}

class ConvGemmKernel final : public NodeKernel {
 public:
  ConvGemmKernel(const ConvGeometry& g, const Tensor* w_const, const char* op)
      : g_(g), op_(op) {
    if (!tensor_core_eligible(g_)) return;
    tensor_cores_ = true;
    const int64_t packed_bytes = g_.groups * g_.mpad * g_.kpad;
    if (w_const != nullptr) {
      std::vector<int8_t> host(static_cast<size_t>(packed_bytes));
      for (int64_t i = 0; i < packed_bytes; ++i)
        host[static_cast<size_t>(i)] = gemm::packed_weight(g_, w_const->data.data(), i);
      packed_ = upload(std::span<const int8_t>(host));
      prepacked_ = true;
    } else {
      packed_ = DeviceBuffer(static_cast<size_t>(packed_bytes));
    }
    std::vector<KTerm> terms(static_cast<size_t>(g_.k));
    for (int64_t k = 0; k < g_.k; ++k) terms[static_cast<size_t>(k)] = gemm::k_term(g_, k);
    kterms_ = upload(std::span<const KTerm>(terms));
    // cudaMemcpy from pageable memory may return before its DMA completes,
    // and launches go to the model's (possibly non-blocking) stream: wait
    // here, once, so every launch sees the packed weights and the table.
    check_cuda(cudaDeviceSynchronize(), op_);
  }

  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const int32_t* x = in[0].data;
    const int32_t* w = in[1].data;
    const int32_t* bias = g_.use_bias ? in[2].data : nullptr;
    int32_t* y = out[0].data;
    const int64_t total = g_.n * g_.o * g_.oh * g_.ow;
    if (total == 0) return;
    if (!tensor_cores_ || simple_gemm_forced()) {
      conv_simple_kernel<<<grid_for(total), 256, 0, stream>>>(g_, x, w, bias, y);
      check_launch(op_);
      return;
    }
    if (!prepacked_) {
      pack_weights_kernel<<<grid_for(g_.groups * g_.mpad * g_.kpad), 256, 0, stream>>>(
          g_, w, packed_.as<int8_t>());
      check_launch(op_);
    }
    const dim3 grid(static_cast<unsigned>((g_.npix + kBN - 1) / kBN),
                    static_cast<unsigned>(g_.mpad / kBM), static_cast<unsigned>(g_.groups));
    conv_mma_kernel<<<grid, kThreads, 0, stream>>>(g_, x, packed_.as<int8_t>(),
                                                   kterms_.as<KTerm>(), w, bias, y);
    check_launch(op_);
  }

 private:
  ConvGeometry g_;
  const char* op_;
  bool tensor_cores_ = false;
  bool prepacked_ = false;
  DeviceBuffer packed_;
  DeviceBuffer kterms_;
};

}  // namespace

std::unique_ptr<NodeKernel> make_conv_gemm(const ConvGeometry& geometry, const Tensor* w_const,
                                           const char* op) {
  return std::make_unique<ConvGemmKernel>(geometry, w_const, op);
}

std::unique_ptr<NodeKernel> make_conv2d(const NodeSpec& spec) {
  const auto& a = std::any_cast<const Conv2dAttrs&>(spec.attrs);
  const Tensor* w_const = spec.constants.size() > 1 ? spec.constants[1] : nullptr;
  return make_conv_gemm(conv_geometry(a, spec.inputs[0].shape, spec.outputs[0].shape), w_const,
                        "conv2d");
}

}  // namespace cvm::cuda
