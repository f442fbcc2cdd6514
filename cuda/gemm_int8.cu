// The int8 GEMM engine of the CUDA conv2d and dense kernels (cuda/gemm_int8.h
// has the layouts and the exactness argument; cuda/conv2d.cu and
// cuda/dense.cu only build the geometry).
//
// Tensor-core path (tensor_core_eligible(): compute capability >= 8.0, at
// least gemm::kMinRows output channels per group, index ranges in bounds).
// One launch of a node enqueues:
//   1. (w not a constant) pack_weights_kernel: w -> int8 [group][mpad][kpad];
//      a constant w is packed once by the factory;
//   2. launch_to_x8: x (int32 NCHW) -> x8 (int8 NHWC, channels padded per
//      group). With at most 16 channels per pixel one thread converts one
//      position (coalesced reads along the positions, one 4/8/16-byte
//      write); with more, a 64-position x 32-channel tile is transposed
//      through shared memory. x is read once; the GEMM then reads a quarter
//      of the bytes, window position by window position, with no
//      per-element arithmetic;
//   3. (split-K) a memset of y;
//   4. conv_mma_kernel<BM, CHUNK, STEPS>: grid (ceil(N OH OW / 128),
//      mpad / BM, groups * splits), 256 threads; each block a BM x 128 output
//      tile (BM = 64 when a group has at most 64 output channels, else 128), 8
//      warps of (BM / 2) x 32, stepping through the depth in slices of STEPS
//      x 32 (STEPS = 2 with use_deep_slices where KP's padding allows: half
//      the barriers and table reads per multiply, a dynamic 60 or 80 KB
//      ring), fed by a kStages-deep cp.async ring (A: 16-byte
//      pieces of the packed weights; B: CHUNK-byte pieces of x8, one window
//      position and CHUNK channels each, zero-filled by cp.async in the
//      padding), fragments by ldmatrix.x4, mma.sync.m16n8k32 s8 with int32
//      accumulators. The epilogue stages the tile through shared memory so
//      that each warp writes whole 128-pixel rows of y (coalesced). Split-K
//      (gemm::split_k) runs small problems (batch 1) as several blocks per
//      output tile, each over a range of k slices, adding into the zeroed y
//      with int32 atomics.
//   5. (split-K with an epilogue) epilogue_in_place_kernel over y.
// A fused epilogue (cvm/epilogue.h, launch_with_epilogue) is applied to each
// exact biased sum before it is stored: in the epilogue of the one split,
// or, with several, to the finished sums in y.
// The mma, ldmatrix and cp.async are compiled only for __CUDA_ARCH__ >= 800;
// other architectures (the PTX fallback JIT-compiled for an older device)
// compute each block's tile with the simple per-element code instead.
//
// Simple path (everything else, and force_simple_gemm(true)): one thread per
// output element (grid-stride), the reference's c, u, v loops with int64
// accumulation, then the bias.
//
// Exactness: conv2d_c14 / dense_c5 (|x|, |w| <= 127: exact int8 operands)
// and conv2d_b2 / dense_b2 (any subset of the K terms sums to at most
// R(p_y) <= 2^31 - 1: int32 accumulation in any order is exact); the bias is
// added modulo 2^32 (the simple path: in int64) and the result fits int32 by
// conv2d_b1 / dense_b1, so the stored word is exact (gemm_int8.h). Results
// are independent of tile sizes, slice depth, stage count and splits.
#include <atomic>
#include <memory>
#include <span>
#include <vector>

#include "cuda/device_common.cuh"
#include "cuda/gemm_int8.h"
#include "cuda/kernel.h"
#include "cvm/tensor.h"

namespace cvm::cuda {

namespace {
std::atomic<bool> g_force_simple{false};
std::atomic<bool> g_deep_slices{false};
}  // namespace

void force_simple_gemm(bool force) { g_force_simple.store(force); }
bool simple_gemm_forced() { return g_force_simple.load(); }
void use_deep_slices(bool deep) { g_deep_slices.store(deep); }
bool deep_slices_used() { return g_deep_slices.load(); }

bool tensor_core_eligible(const ConvGeometry& g) {
  int device = 0, major = 0;
  if (cudaGetDevice(&device) != cudaSuccess) return false;
  if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess)
    return false;
  if (major < 8) return false;
  if (g.opg < gemm::kMinRows || g.npix < 1) return false;
  constexpr int64_t kInt32 = 0x7fffffff, kHalf = int64_t{1} << 30;
  // Grid limits (x <= 2^31 - 1, y and z <= 65535; split-K only lowers z's
  // share) and bounded scratch/table sizes.
  // (grid x = ceil(npix / kBN) fits: npix <= 2^31 - 1 is checked below.)
  if (g.mpad / g.bm > 65535 || g.groups > 65535) return false;
  if (g.kp > (int64_t{1} << 24)) return false;
  if (g.groups * g.mpad * g.kpad > (int64_t{1} << 32)) return false;
  // 32-bit positions of x8 (the conversion kernels) and GEMM columns (the
  // epilogue's column offsets).
  if (g.n * g.h * g.w > kInt32 || g.npix > kInt32 || g.oh * g.ow > kInt32) return false;
  if ((g.cpad + 63) / 64 > 65535) return false;  // the conversion's grid y
  // chunk_source's 32-bit window coordinates: |r SH - PH| + (KH - 1) DH and
  // the same for columns stay below 2^30.
  if (g.ph >= kHalf || g.pw >= kHalf || g.h >= kHalf || g.w >= kHalf) return false;
  if ((g.oh - 1) * g.sh + (g.kh - 1) * g.dh >= kHalf) return false;
  if ((g.ow - 1) * g.sw + (g.kw - 1) * g.dw >= kHalf) return false;
  return true;
}

namespace {

using gemm::kBN;
using gemm::kStages;
using gemm::kThreads;
using gemm::kTilesN;

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

/// One thread per output element y[n, oc, r, q] (row-major flat index), the
/// epilogue applied to the biased sum (which fits int32: conv2d_b1 / dense_b1).
__global__ void conv_simple_kernel(ConvGeometry g, const int32_t* __restrict__ x,
                                   const int32_t* __restrict__ w, const int32_t* __restrict__ bias,
                                   int32_t* __restrict__ y, Epilogue epi) {
  const int64_t total = g.n * g.o * g.oh * g.ow;
  for (int64_t i = grid_start(); i < total; i += grid_stride()) {
    const int64_t q = i % g.ow;
    int64_t t = i / g.ow;
    const int64_t r = t % g.oh;
    t /= g.oh;
    const int64_t oc = t % g.o;
    const int64_t n = t / g.o;
    y[i] = epi.apply(conv_element(g, x, w, bias, n, oc, r, q));
  }
}

/// y = epi(y) elementwise: the epilogue of a split-K launch, whose splits
/// have added up the biased sums in y.
__global__ void epilogue_in_place_kernel(int32_t* __restrict__ y, int64_t total, Epilogue epi) {
  for (int64_t i = grid_start(); i < total; i += grid_stride()) y[i] = epi.apply(y[i]);
}

// ---- operand preparation --------------------------------------------------------

/// The packed int8 weights (gemm::packed_weight), one element per thread.
__global__ void pack_weights_kernel(ConvGeometry g, const int32_t* __restrict__ w,
                                    int8_t* __restrict__ packed) {
  const int64_t total = g.groups * g.mpad * g.kpad;
  for (int64_t i = grid_start(); i < total; i += grid_stride()) packed[i] = gemm::packed_weight(g, w, i);
}

/// x8 = gemm::x8_value, for CPAD <= 16 channels per pixel (4, 8 or 16): one
/// thread per position (n H + ih) W + iw writes its CPAD bytes at once; its
/// int32 reads (one per real channel) are coalesced across the warp, whose
/// threads hold consecutive positions. 32-bit positions (tensor_core_eligible).
template <int CPAD>
__global__ void __launch_bounds__(256) to_x8_narrow_kernel(ConvGeometry g, const int32_t* __restrict__ x,
                                                           int8_t* __restrict__ x8) {
  const uint32_t positions = static_cast<uint32_t>(g.n * g.h * g.w), hw = static_cast<uint32_t>(g.h * g.w);
  const int icgp = static_cast<int>(g.icgp), icg = static_cast<int>(g.icg);
  const uint32_t pos = blockIdx.x * 256u + threadIdx.x;
  if (pos >= positions) return;
  const uint32_t n = pos / hw, pix = pos - n * hw;
  const int32_t* image = x + static_cast<int64_t>(n) * g.c * hw + pix;
  uint32_t words[CPAD / 4];
  #pragma unroll
  for (int wd = 0; wd < CPAD / 4; ++wd) {
    uint32_t v = 0;
    #pragma unroll
    for (int e = 0; e < 4; ++e) {
      const int ch = gemm::x8_channel(4 * wd + e, icgp, icg);
      // |x| <= 127 (conv2d_c14 / dense_c5): the int8 value is exact.
      if (ch >= 0)
        v |= static_cast<uint32_t>(static_cast<uint8_t>(static_cast<int8_t>(image[int64_t{ch} * hw]))) << (8 * e);
    }
    words[wd] = v;
  }
  int8_t* dst = x8 + static_cast<int64_t>(pos) * CPAD;
  if constexpr (CPAD == 4) {
    *reinterpret_cast<uint32_t*>(dst) = words[0];
  } else if constexpr (CPAD == 8) {
    *reinterpret_cast<uint2*>(dst) = make_uint2(words[0], words[1]);
  } else {
    *reinterpret_cast<uint4*>(dst) = make_uint4(words[0], words[1], words[2], words[3]);
  }
}

/// x8 = gemm::x8_value for CPAD >= 32: a block takes 64 positions and up to
/// 64 of their channels (blockIdx.y), 32 at a time through a shared tile, so
/// the int32 reads run along the positions (consecutive in x; 8 per thread
/// in flight) and the 4-byte writes along the channels (consecutive in x8).
/// 256 threads; 32-bit positions.
__global__ void __launch_bounds__(256) to_x8_tiled_kernel(ConvGeometry g, const int32_t* __restrict__ x,
                                                          int8_t* __restrict__ x8) {
  __shared__ int8_t tile[32][68];
  const uint32_t positions = static_cast<uint32_t>(g.n * g.h * g.w), hw = static_cast<uint32_t>(g.h * g.w);
  const int icgp = static_cast<int>(g.icgp), icg = static_cast<int>(g.icg), cpad = static_cast<int>(g.cpad);
  const uint32_t pos0 = blockIdx.x * 64u;
  const int tx = static_cast<int>(threadIdx.x) % 64, ty = static_cast<int>(threadIdx.x) / 64;
  const uint32_t pos = pos0 + static_cast<uint32_t>(tx);
  const uint32_t n = pos / hw, pix = pos - n * hw;
  const int32_t* image = x + static_cast<int64_t>(n) * g.c * hw + pix;
  const int cc_begin = static_cast<int>(blockIdx.y) * 64;
  const int cc_end = cc_begin + 64 < cpad ? cc_begin + 64 : cpad;
  for (int cc0 = cc_begin; cc0 < cc_end; cc0 += 32) {
    #pragma unroll
    for (int r = ty; r < 32; r += 4) {
      const int cc = cc0 + r, ch = gemm::x8_channel(cc, icgp, icg);
      // |x| <= 127 (conv2d_c14 / dense_c5): the int8 value is exact.
      tile[r][tx] = pos < positions && cc < cpad && ch >= 0 ? static_cast<int8_t>(image[int64_t{ch} * hw]) : int8_t{0};
    }
    __syncthreads();
    #pragma unroll
    for (int j = 0; j < 2; ++j) {
      const int wi = static_cast<int>(threadIdx.x) + 256 * j, p = wi / 8, word = wi % 8;
      const uint32_t wpos = pos0 + static_cast<uint32_t>(p);
      const int cc = cc0 + 4 * word;
      if (wpos < positions && cc < cpad) {  // cpad is a multiple of 16
        uint32_t v = 0;
        #pragma unroll
        for (int e = 0; e < 4; ++e) v |= static_cast<uint32_t>(static_cast<uint8_t>(tile[4 * word + e][p])) << (8 * e);
        *reinterpret_cast<uint32_t*>(x8 + static_cast<int64_t>(wpos) * cpad + cc) = v;
      }
    }
    __syncthreads();
  }
}

/// Enqueues the conversion of x into x8.
void launch_to_x8(const ConvGeometry& g, const int32_t* x, int8_t* x8, cudaStream_t stream) {
  const int64_t positions = g.n * g.h * g.w;
  const auto narrow = static_cast<unsigned>((positions + 255) / 256);
  if (g.cpad == 4) {
    to_x8_narrow_kernel<4><<<narrow, 256, 0, stream>>>(g, x, x8);
  } else if (g.cpad == 8) {
    to_x8_narrow_kernel<8><<<narrow, 256, 0, stream>>>(g, x, x8);
  } else if (g.cpad == 16) {
    to_x8_narrow_kernel<16><<<narrow, 256, 0, stream>>>(g, x, x8);
  } else {
    const dim3 grid(static_cast<unsigned>((positions + 63) / 64), static_cast<unsigned>((g.cpad + 63) / 64));
    to_x8_tiled_kernel<<<grid, 256, 0, stream>>>(g, x, x8);
  }
}

// ---- tensor-core path -----------------------------------------------------------

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
__device__ __forceinline__ uint32_t smem_addr(const void* p) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}
/// cp.async of BYTES (4, 8 or 16) bytes; src_bytes 0 writes zeros (and reads nothing).
template <int BYTES>
__device__ __forceinline__ void cp_async(void* dst, const void* src, int src_bytes) {
  if constexpr (BYTES == 16) {
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(smem_addr(dst)), "l"(src), "r"(src_bytes));
  } else {
    asm volatile("cp.async.ca.shared.global [%0], [%1], %2, %3;\n" ::"r"(smem_addr(dst)), "l"(src), "n"(BYTES),
                 "r"(src_bytes));
  }
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int PENDING>
__device__ __forceinline__ void cp_async_wait() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(PENDING));
}
/// Four 8 x 16-byte matrices (gemm_int8.h, "ldmatrix").
__device__ __forceinline__ void ldmatrix_x4(uint32_t (&r)[4], const void* row) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(smem_addr(row)));
}
/// D += A B for one m16n8k32 tile (fragments as in gemm_int8.h).
__device__ __forceinline__ void mma_s8(int32_t (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
  // Not volatile: a pure register operation the compiler may schedule.
  asm(
      "mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 "
      "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
      : "+r"(d[0]), "+r"(d[1]), "+r"(d[2]), "+r"(d[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}
#endif

/// One block: the BM x 128 tile (rows m0.., columns p0..) of group
/// blockIdx.z / splits's GEMM over the k slices (STEPS k-steps of 32 each)
/// of split blockIdx.z % splits. The ring is static shared memory for
/// STEPS = 1 and dynamic (gemm::ring_bytes(BM, STEPS) bytes, granted by
/// allow_deep_ring) otherwise. `x` and `w` (int32) are read only by the
/// fallback below sm_80.
template <int BM, int CHUNK, int STEPS>
__global__ void __launch_bounds__(kThreads, 2)
    conv_mma_kernel(ConvGeometry g, const int8_t* __restrict__ x8, const int8_t* __restrict__ packed,
                    const gemm::Chunk* __restrict__ chunks, const int32_t* __restrict__ x,
                    const int32_t* __restrict__ w, const int32_t* __restrict__ bias, int32_t* __restrict__ y,
                    int64_t splits, int64_t per_split, Epilogue epi) {
  const int64_t p0 = static_cast<int64_t>(blockIdx.x) * kBN;
  const int64_t m0 = static_cast<int64_t>(blockIdx.y) * BM;
  const int64_t grp = blockIdx.z / splits, split = blockIdx.z % splits;
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  (void)x, (void)w;
  constexpr int kTm = gemm::tiles_m(BM);
  constexpr int kPer = gemm::chunks_per_thread(CHUNK, STEPS);
  constexpr int kAPer = gemm::a_pieces_per_thread(BM, STEPS);
  constexpr int kRow = gemm::row_bytes(STEPS);
  constexpr int kStage = gemm::stage_bytes(BM, STEPS);
  uint8_t* ring = nullptr;
  if constexpr (STEPS == 1) {
    __shared__ __align__(128) uint8_t static_ring[gemm::ring_bytes(BM, 1)];
    ring = static_ring;
  } else {
    extern __shared__ __align__(128) uint8_t dynamic_ring[];
    ring = dynamic_ring;
  }
  const int tid = static_cast<int>(threadIdx.x);
  const int warp = tid / 32, lane = tid % 32;

  const int64_t all_slices = g.kpad / gemm::slice_depth(STEPS);
  const int64_t s_begin = split * per_split;
  const int64_t n_slices = (all_slices - s_begin < per_split ? all_slices - s_begin : per_split);

  // A loader: pieces tid + kThreads i: 16 bytes of row a_piece_row, bytes
  // [16 a_piece_part, +16) of each slice.
  const int8_t* a_src[kAPer];
  int a_dst[kAPer];
  bool a_loads[kAPer];
  #pragma unroll
  for (int i = 0; i < kAPer; ++i) {
    const int piece = tid + kThreads * i;
    const int row = gemm::a_piece_row(piece, STEPS), part = gemm::a_piece_part(piece, STEPS);
    a_loads[i] = piece < gemm::a_pieces(BM, STEPS);
    a_src[i] = packed + ((grp * g.mpad) + m0 + row) * g.kpad + 16 * part;
    a_dst[i] = row * kRow + 16 * part;
  }
  // B loader: kPer chunks of column b_col (pixel p0 + b_col).
  const int b_col = gemm::b_load_col(tid);
  const gemm::PixelBase pix = gemm::pixel_base(g, p0 + b_col);
  const int b_dst = BM * kRow + b_col * kRow;

  auto load = [&](int64_t slice, int stage) {
    uint8_t* st = ring + stage * kStage;
    const int64_t k0 = slice * gemm::slice_depth(STEPS);
    #pragma unroll
    for (int i = 0; i < kAPer; ++i)
      if (a_loads[i]) cp_async<16>(st + a_dst[i], a_src[i] + k0, 16);
    #pragma unroll
    for (int i = 0; i < kPer; ++i) {
      const int j = gemm::b_load_chunk(tid, i, CHUNK, STEPS);
      const int64_t src = gemm::chunk_source(g, pix, chunks[k0 / CHUNK + j], grp);
      cp_async<CHUNK>(st + b_dst + j * CHUNK, src >= 0 ? x8 + src : x8, src >= 0 ? CHUNK : 0);
    }
  };

  int32_t acc[kTm][kTilesN][4];
  #pragma unroll
  for (int tm = 0; tm < kTm; ++tm)
    #pragma unroll
    for (int tn = 0; tn < kTilesN; ++tn)
      #pragma unroll
      for (int i = 0; i < 4; ++i) acc[tm][tn][i] = 0;

  #pragma unroll
  for (int st = 0; st < kStages - 1; ++st) {
    if (st < n_slices) load(s_begin + st, st);
    cp_async_commit();
  }
  // One k-step's fragments of the stage at st, and their products.
  using AFrags = uint32_t[kTm][4];
  using BFrags = uint32_t[kTilesN / 2][4];
  auto read_step = [&](const uint8_t* st, int kk, AFrags& af, BFrags& bf) {
    #pragma unroll
    for (int tm = 0; tm < kTm; ++tm) ldmatrix_x4(af[tm], st + gemm::a_ldsm_byte(BM, warp, tm, lane, STEPS, kk));
    #pragma unroll
    for (int tp = 0; tp < kTilesN / 2; ++tp)
      ldmatrix_x4(bf[tp], st + BM * kRow + gemm::b_ldsm_byte(warp, tp, lane, STEPS, kk));
  };
  auto multiply = [&](const AFrags& af, const BFrags& bf) {
    #pragma unroll
    for (int tm = 0; tm < kTm; ++tm)
      #pragma unroll
      for (int tn = 0; tn < kTilesN; ++tn)
        mma_s8(acc[tm][tn], af[tm], bf[tn / 2][2 * (tn % 2)], bf[tn / 2][2 * (tn % 2) + 1]);
  };
  for (int64_t s = 0; s < n_slices; ++s) {
    // Slice s has landed (at most kStages - 2 younger groups pending), and
    // every warp is done with slice s - 1, whose stage the prefetch reuses.
    cp_async_wait<kStages - 2>();
    __syncthreads();
    const uint8_t* st = ring + static_cast<int>(s % kStages) * kStage;
    const bool prefetch = s + kStages - 1 < n_slices;
    const int next_stage = static_cast<int>((s + kStages - 1) % kStages);
    AFrags af;
    BFrags bf;
    if constexpr (STEPS == 1) {
      if (prefetch) load(s_begin + s + kStages - 1, next_stage);
      cp_async_commit();
      read_step(st, 0, af, bf);
      multiply(af, bf);
    } else {
      // Deep slices: the first k-step's products are issued before the next
      // slice's copies, so the copies' chunk-table reads and address
      // arithmetic overlap the tensor cores' work instead of holding back
      // the first mma (issuing the copies between the first k-step's
      // ldmatrix and mma would keep its fragments live across them: 24-40
      // bytes of spills at BM 128 per ptxas). The copies write stage
      // (s - 1) mod kStages, which every warp finished before the barrier
      // above.
      read_step(st, 0, af, bf);
      multiply(af, bf);
      if (prefetch) load(s_begin + s + kStages - 1, next_stage);
      cp_async_commit();
      #pragma unroll
      for (int kk = 1; kk < STEPS; ++kk) {
        read_step(st, kk, af, bf);
        multiply(af, bf);
      }
    }
  }
  cp_async_wait<0>();

  // Epilogue: y[n, grp OPG + m, r, q] = acc + b for rows < OPG, pixels
  // < N OH OW, staged through shared memory (the ring is free now) 64 rows at
  // a time, so that each warp stores whole rows of 128 columns: consecutive
  // lanes write consecutive pixels (coalesced), instead of the fragments'
  // 8 rows x 8 columns per store.
  __syncthreads();  // every warp is done with the ring
  constexpr int kCs = kBN + 4;  // staged row stride in words (fewer bank conflicts)
  static_assert(64 * kCs * 4 <= gemm::ring_bytes(64, 1), "staging fits the ring");
  int32_t* cs = reinterpret_cast<int32_t*>(ring);
  // Lane's columns p0 + lane + 32 q: y offset without the row term
  // (gemm::y_column_base), or -1 past the end.
  const uint32_t ohw = static_cast<uint32_t>(g.oh * g.ow);
  int64_t col_base[4];
  #pragma unroll
  for (int q = 0; q < 4; ++q) {
    const uint32_t p = static_cast<uint32_t>(p0) + static_cast<uint32_t>(lane + 32 * q);
    col_base[q] = p < static_cast<uint64_t>(g.npix) ? gemm::y_column_base(g, grp, p) : -1;
  }
  const bool add_bias = g.use_bias && split == 0;
  #pragma unroll
  for (int pass = 0; pass < BM / 64; ++pass) {
    if (gemm::warp_row0(BM, warp) / 64 == pass) {
      #pragma unroll
      for (int tm = 0; tm < kTm; ++tm)
        #pragma unroll
        for (int tn = 0; tn < kTilesN; ++tn)
          #pragma unroll
          for (int i = 0; i < 4; ++i)
            cs[(gemm::c_tile_row(BM, warp, tm, lane, i) - 64 * pass) * kCs + gemm::c_tile_col(warp, tn, lane, i)] =
                acc[tm][tn][i];
    }
    __syncthreads();
    for (int r = warp; r < 64; r += kThreads / 32) {
      const int64_t m = m0 + 64 * pass + r;
      if (m >= g.opg) break;
      const uint32_t b = add_bias ? static_cast<uint32_t>(bias[grp * g.opg + m]) : 0u;
      #pragma unroll
      for (int q = 0; q < 4; ++q) {
        if (col_base[q] < 0) continue;
        int32_t* dst = y + col_base[q] + m * ohw;
        // Modulo 2^32 (well defined for unsigned): the full sum fits int32,
        // so the stored or accumulated word is exact (gemm_int8.h).
        // One split: the epilogue applies to the exact biased sum here;
        // several: to the total, after the launch (epilogue_in_place_kernel).
        const uint32_t v = static_cast<uint32_t>(cs[r * kCs + lane + 32 * q]) + b;
        if (splits > 1)
          atomicAdd(reinterpret_cast<unsigned int*>(dst), v);
        else
          *dst = epi.apply(static_cast<int32_t>(v));
      }
    }
    __syncthreads();  // the next pass reuses the staging rows
  }
#else
  // Below sm_80 (no int8 mma): the same tile, one element per thread at a
  // time, whole sums by split 0 (y was zeroed when there are several splits,
  // so split 0 adds the full sum and the others add nothing).
  (void)x8, (void)packed, (void)chunks, (void)per_split;
  if (split != 0) return;
  const int64_t ohw = g.oh * g.ow;
  for (int e = static_cast<int>(threadIdx.x); e < BM * kBN; e += static_cast<int>(blockDim.x)) {
    const int64_t m = m0 + e / kBN, p = p0 + e % kBN;
    if (m >= g.opg || p >= g.npix) continue;
    const int64_t n = p / ohw, rem = p % ohw;
    const int64_t v = conv_element(g, x, w, bias, n, grp * g.opg + m, rem / g.ow, rem % g.ow);
    int32_t* dst = y + gemm::y_offset(g, grp, m, p);
    if (splits > 1)
      atomicAdd(reinterpret_cast<unsigned int*>(dst), static_cast<uint32_t>(v));
    else
      *dst = epi.apply(v);
  }
#endif
}

/// The number of streaming multiprocessors of the current device (>= 1).
int64_t sm_count() {
  int device = 0, sms = 0;
  if (cudaGetDevice(&device) != cudaSuccess) return 1;
  if (cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess) return 1;
  return sms > 0 ? sms : 1;
}

class ConvGemmKernel final : public EpilogueKernel {
 public:
  ConvGemmKernel(const ConvGeometry& g, const Tensor* w_const, const char* op) : g_(g), op_(op) {
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
    std::vector<gemm::Chunk> table(static_cast<size_t>(g_.kpad / g_.chunk));
    for (size_t j = 0; j < table.size(); ++j) table[j] = gemm::chunk_at(g_, static_cast<int64_t>(j));
    chunks_ = upload(std::span<const gemm::Chunk>(table));
    x8_ = DeviceBuffer(static_cast<size_t>(gemm::x8_bytes(g_)));
    // Enough blocks for about two per SM (the kernel's occupancy target).
    const int64_t blocks = (g_.npix + kBN - 1) / kBN * (g_.mpad / g_.bm) * g_.groups;
    for (int steps : {1, gemm::kDeepSteps}) {
      const int64_t slices = g_.kpad / gemm::slice_depth(steps);
      gemm::SplitK& split = split_[steps == 1 ? 0 : 1];
      split = gemm::split_k(slices, blocks, 2 * sm_count());
      while (split.splits > 1 && g_.groups * split.splits > 65535) split = gemm::SplitK{1, slices};
    }
    // Deep slices need KP's padding to cover whole 64-deep slices and the
    // larger (dynamic) shared-memory ring.
    deep_ok_ = g_.kpad % gemm::slice_depth(gemm::kDeepSteps) == 0 && allow_deep_ring();
    // cudaMemcpy from pageable memory may return before its DMA completes,
    // and launches go to the model's (possibly non-blocking) stream: wait
    // here, once, so every launch sees the packed weights and the table.
    check_cuda(cudaDeviceSynchronize(), op_);
  }

  void launch_with_epilogue(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream,
                            const Epilogue& epi) override {
    const int32_t* x = in[0].data;
    const int32_t* w = in[1].data;
    const int32_t* bias = g_.use_bias ? in[2].data : nullptr;
    int32_t* y = out[0].data;
    const int64_t total = g_.n * g_.o * g_.oh * g_.ow;
    if (total == 0) return;
    if (!tensor_cores_ || simple_gemm_forced()) {
      conv_simple_kernel<<<grid_for(total), 256, 0, stream>>>(g_, x, w, bias, y, epi);
      check_launch(op_);
      return;
    }
    if (!prepacked_) {
      pack_weights_kernel<<<grid_for(g_.groups * g_.mpad * g_.kpad), 256, 0, stream>>>(
          g_, w, packed_.as<int8_t>());
      check_launch(op_);
    }
    launch_to_x8(g_, x, x8_.as<int8_t>(), stream);
    check_launch(op_);
    const bool deep = deep_ok_ && deep_slices_used();
    const gemm::SplitK& split = split_[deep ? 1 : 0];
    if (split.splits > 1)
      check_cuda(cudaMemsetAsync(y, 0, static_cast<size_t>(total) * sizeof(int32_t), stream), op_);
    const dim3 grid(static_cast<unsigned>((g_.npix + kBN - 1) / kBN), static_cast<unsigned>(g_.mpad / g_.bm),
                    static_cast<unsigned>(g_.groups * split.splits));
    const auto run = [&](auto kernel, int ring) {
      kernel<<<grid, kThreads, static_cast<size_t>(ring), stream>>>(g_, x8_.as<int8_t>(), packed_.as<int8_t>(),
                                                                   chunks_.as<gemm::Chunk>(), x, w, bias, y,
                                                                   split.splits, split.per_split, epi);
    };
    if (deep) {
      const int ring = gemm::ring_bytes(static_cast<int>(g_.bm), gemm::kDeepSteps);
      with_kernel<gemm::kDeepSteps>(g_, [&](auto kernel) { run(kernel, ring); });
    } else {
      with_kernel<1>(g_, [&](auto kernel) { run(kernel, 0); });
    }
    check_launch(op_);
    if (split.splits > 1 && !epi.empty()) {
      epilogue_in_place_kernel<<<grid_for(total), 256, 0, stream>>>(y, total, epi);
      check_launch(op_);
    }
  }

 private:
  ConvGeometry g_;
  const char* op_;
  // Calls f with the conv_mma_kernel instantiation for g's block rows and
  // chunk size and STEPS.
  template <int STEPS, class F>
  static void with_kernel(const ConvGeometry& g, F&& f) {
    if (g.bm == 64) {
      if (g.chunk == 4) f(conv_mma_kernel<64, 4, STEPS>);
      else if (g.chunk == 8) f(conv_mma_kernel<64, 8, STEPS>);
      else f(conv_mma_kernel<64, 16, STEPS>);
    } else {
      if (g.chunk == 4) f(conv_mma_kernel<128, 4, STEPS>);
      else if (g.chunk == 8) f(conv_mma_kernel<128, 8, STEPS>);
      else f(conv_mma_kernel<128, 16, STEPS>);
    }
  }

  // Grants this geometry's deep-slice kernel its dynamic shared-memory ring
  // (beyond the 48 KB default); false (one-step slices only) if the device
  // refuses.
  bool allow_deep_ring() const {
    const int ring = gemm::ring_bytes(static_cast<int>(g_.bm), gemm::kDeepSteps);
    bool ok = true;
    with_kernel<gemm::kDeepSteps>(g_, [&](auto kernel) {
      ok = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, ring) == cudaSuccess;
    });
    if (!ok) (void)cudaGetLastError();
    return ok;
  }

  bool tensor_cores_ = false;
  bool prepacked_ = false;
  bool deep_ok_ = false;
  gemm::SplitK split_[2];  // one-step and deep slices
  DeviceBuffer packed_;
  DeviceBuffer chunks_;
  DeviceBuffer x8_;
};

}  // namespace

std::unique_ptr<NodeKernel> make_conv_gemm(const ConvGeometry& geometry, const Tensor* w_const,
                                           const char* op) {
  return std::make_unique<ConvGemmKernel>(geometry, w_const, op);
}

}  // namespace cvm::cuda
