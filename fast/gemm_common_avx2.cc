// The AVX2 GEMM engine of the conv2d and dense fast kernels (built with
// -mavx2 -mfma; chosen through use_avx2()), with an AVX-512 VNNI micro-kernel.
//
// y_g[m, n] = epilogue(bias + sum_k A_g[m, k] B_g[k, n]) for independent
// images g. A (conv2d: weights; dense: x) is packed in panels of kMR rows, B
// (conv2d: the im2col of x, built tile by tile from a padded int16 copy of x;
// dense: the packed weights) in tiles of 16 columns, with k pairs interleaved
// (fast/gemm_common.h). The micro-kernel keeps kMR x 16 int32 accumulators
// in registers and per k pair does one 32-bit broadcast of A per row and
// two vpmaddwd per row (8 columns x 2 k terms each). On CPUs with AVX-512
// VNNI (use_avx512_vnni()) runs of 2-3 full panels times a full tile go
// through micro_vnni instead: one zmm vpdpwssd per row and k pair, on the
// same packed operands, with the same int32 sums.
//
// Blocking: K in blocks of <= 320 pairs (the B sliver, <= 20 KiB, stays in L1
// while all panels of a row block pass over it); row blocks of up to 32
// panels and column blocks of up to 4 tiles; threads split the
// (image, row block, column block) grid, each output element belonging to
// exactly one task, so results do not depend on the thread count (when
// several row blocks share B, B is packed once for all tiles first). Sums of
// later K blocks are added to the int32 partial sums already in y; after the
// last block each task adds the bias and applies the epilogue to its region.
//
// Exactness: conv2d_c14 / dense_c5 give |x|, |w| <= 127, so the int16
// operands are exact and each vpmaddwd pair sum (<= 2 * 127^2) is exact;
// conv2d_b2 / dense_b2 bound every partial sum (any subset of the K terms)
// and the biased sum by R(p_y) <= 2^31 - 1, so the int32 accumulation, in
// any order, never wraps and equals the reference's int64 sum.
#include <immintrin.h>

#include <cstring>
#include <vector>

#include "fast/gemm_common.h"

namespace cvm::fast::gemm {
namespace {

constexpr int64_t kMaxKcPairs = 320;
constexpr int64_t kGuardFront = 32;  // int16 zeros before the padded copy
constexpr int64_t kGuardBack = 64;   // and after it

inline __m256i bcast_pair(const int16_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof v);
  return _mm256_set1_epi32(v);
}

// kMR x 16 accumulators over kc k pairs; stores (or adds, when accumulate)
// rows [0, kMR) x columns [0, 16) to c (row stride ldc), columns in natural
// order. Named accumulators (not an array) keep GCC from adding register
// copies to the loop.
static_assert(kMR == 4, "micro() is written for 4 rows");
#define CVM_GEMM_ROW(i)                                                    \
  {                                                                        \
    const __m256i av = bcast_pair(a + 2 * (i));                            \
    c##i##0 = _mm256_add_epi32(c##i##0, _mm256_madd_epi16(av, b0));        \
    c##i##1 = _mm256_add_epi32(c##i##1, _mm256_madd_epi16(av, b1));        \
  }
inline void micro(const int16_t* a, const int16_t* b, int64_t kc, int32_t* c, int64_t ldc,
                  bool accumulate) {
  __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
          c30 = c00, c31 = c00;
  for (int64_t k = 0; k < kc; ++k) {
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 16));
    CVM_GEMM_ROW(0)
    CVM_GEMM_ROW(1)
    CVM_GEMM_ROW(2)
    CVM_GEMM_ROW(3)
    a += 2 * kMR;
    b += 32;
  }
  const __m256i acc[kMR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
  for (int i = 0; i < kMR; ++i) {
    // acc[i][0] holds columns 0-3 | 8-11, acc[i][1] columns 4-7 | 12-15 (kTileCol).
    __m256i lo = _mm256_permute2x128_si256(acc[i][0], acc[i][1], 0x20);
    __m256i hi = _mm256_permute2x128_si256(acc[i][0], acc[i][1], 0x31);
    __m256i* p0 = reinterpret_cast<__m256i*>(c + i * ldc);
    __m256i* p1 = reinterpret_cast<__m256i*>(c + i * ldc + 8);
    if (accumulate) {
      lo = _mm256_add_epi32(lo, _mm256_loadu_si256(p0));
      hi = _mm256_add_epi32(hi, _mm256_loadu_si256(p1));
    }
    _mm256_storeu_si256(p0, lo);
    _mm256_storeu_si256(p1, hi);
  }
}
#undef CVM_GEMM_ROW

// The same for a tile with at most 4 valid columns (they are all in the first
// vector of each k pair, kTileCol): half the work; columns 4..15 of c are
// written as 0.
inline void micro_narrow(const int16_t* a, const int16_t* b, int64_t kc, int32_t* c, int64_t ldc,
                         bool accumulate) {
  __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0;
  for (int64_t k = 0; k < kc; ++k) {
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b));
    c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(bcast_pair(a), b0));
    c1 = _mm256_add_epi32(c1, _mm256_madd_epi16(bcast_pair(a + 2), b0));
    c2 = _mm256_add_epi32(c2, _mm256_madd_epi16(bcast_pair(a + 4), b0));
    c3 = _mm256_add_epi32(c3, _mm256_madd_epi16(bcast_pair(a + 6), b0));
    a += 2 * kMR;
    b += 32;
  }
  const __m256i acc[kMR] = {c0, c1, c2, c3};
  const __m256i zero = _mm256_setzero_si256();
  for (int i = 0; i < kMR; ++i) {
    // Columns 0-3 are the low half of acc[i].
    __m256i lo = _mm256_permute2x128_si256(acc[i], zero, 0x20);
    __m256i* p0 = reinterpret_cast<__m256i*>(c + i * ldc);
    __m256i* p1 = reinterpret_cast<__m256i*>(c + i * ldc + 8);
    if (accumulate) lo = _mm256_add_epi32(lo, _mm256_loadu_si256(p0));
    _mm256_storeu_si256(p0, lo);
    _mm256_storeu_si256(p1, zero);
  }
}

// The AVX-512 VNNI micro-kernel: P consecutive full panels (P * kMR rows)
// times one full tile. A tile's k pair is 32 int16, one zmm whose int32 lane
// L holds column kTileCol[L / 8][L % 8] (its k and k + 1 values), so one
// vpdpwssd forms the same two exact products and pair sum per column as
// vpmaddwd and adds them to the int32 accumulator in the same instruction
// (it does not saturate; the int32 sums are the ones the AVX2 kernel forms,
// in the same order, exact by conv2d_b2 / dense_b2). P * kMR independent
// accumulators (8 or 12) hide the instruction's latency, which 4 would not.
// The function-level target lets this file keep its -mavx2 build; callers
// reach it only when use_avx512_vnni() (fast/registry.cc).
#define CVM_TARGET_AVX512_VNNI __attribute__((target("avx512f,avx512bw,avx512vnni")))
CVM_TARGET_AVX512_VNNI inline __m512i bcast_pair512(const int16_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof v);
  return _mm512_set1_epi32(v);
}

// Stores (or adds) one accumulator row in natural column order: lane L holds
// column kTileCol[L / 8][L % 8], a permutation that is its own inverse. (The
// maskz form: GCC 12 warns that the unmasked one's undefined pass-through
// operand is uninitialised.)
CVM_TARGET_AVX512_VNNI inline void store_row512(__m512i acc, int32_t* dst, bool accumulate) {
  const __m512i order = _mm512_setr_epi32(0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15);
  __m512i v = _mm512_maskz_permutexvar_epi32(0xFFFF, order, acc);
  if (accumulate) v = _mm512_add_epi32(v, _mm512_loadu_si512(dst));
  _mm512_storeu_si512(dst, v);
}

// acc += vpdpwssd(a, b). Inline asm because GCC 12 register-allocates the
// intrinsic's accumulator badly: it copied every accumulator once per
// iteration (24 extra zmm moves per k pair in micro_vnni<3>).
CVM_TARGET_AVX512_VNNI inline __m512i dpwssd(__m512i acc, __m512i a, __m512i b) {
  asm("vpdpwssd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b));
  return acc;
}

// Named accumulators, as in micro(). Panel j's rows are a + j * a_panel_stride.
#define CVM_VNNI_PANEL(j)                                                          \
  {                                                                                \
    const int16_t* aj = a + (j) * a_panel_stride;                                  \
    c##j##0 = dpwssd(c##j##0, bcast_pair512(aj), bv);                 \
    c##j##1 = dpwssd(c##j##1, bcast_pair512(aj + 2), bv);             \
    c##j##2 = dpwssd(c##j##2, bcast_pair512(aj + 4), bv);             \
    c##j##3 = dpwssd(c##j##3, bcast_pair512(aj + 6), bv);             \
  }
template <int P>
CVM_TARGET_AVX512_VNNI void micro_vnni(const int16_t* a, int64_t a_panel_stride,
                                       const int16_t* b, int64_t kc, int32_t* c, int64_t ldc,
                                       bool accumulate) {
  static_assert(P == 2 || P == 3, "micro_vnni runs 2 or 3 panels");
  static_assert(kMR == 4, "micro_vnni is written for 4-row panels");
  __m512i c00 = _mm512_setzero_si512(), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00,
          c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00;
  for (int64_t k = 0; k < kc; ++k) {
    const __m512i bv = _mm512_loadu_si512(b);
    CVM_VNNI_PANEL(0)
    CVM_VNNI_PANEL(1)
    if constexpr (P == 3) CVM_VNNI_PANEL(2)
    a += 2 * kMR;
    b += 32;
  }
  const __m512i rows[12] = {c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23};
  for (int r = 0; r < P * kMR; ++r) store_row512(rows[r], c + r * ldc, accumulate);
}
#undef CVM_VNNI_PANEL
#undef CVM_TARGET_AVX512_VNNI

// One panel x tile product into y (rows x cols valid, at most kMR x 16):
// directly when full, through a 16-wide scratch tile otherwise.
inline void tile_product(const int16_t* a, const int16_t* b, int64_t kc, int32_t* y, int64_t ldy,
                         int64_t rows, int64_t cols, bool accumulate) {
  if (rows == kMR && cols == kNR) {
    micro(a, b, kc, y, ldy, accumulate);
    return;
  }
  alignas(32) int32_t t[kMR * kNR] = {};
  if (accumulate)
    for (int64_t i = 0; i < rows; ++i) std::memcpy(t + i * kNR, y + i * ldy, sizeof(int32_t) * cols);
  if (cols <= 4) {
    micro_narrow(a, b, kc, t, kNR, accumulate);
  } else {
    micro(a, b, kc, t, kNR, accumulate);
  }
  for (int64_t i = 0; i < rows; ++i) std::memcpy(y + i * ldy, t + i * kNR, sizeof(int32_t) * cols);
}

// Bias and epilogue over one row of n int32 sums, in place.
void epilogue_row(int32_t* v, int64_t n, int32_t row_bias, const int32_t* col_bias,
                  const Epilogue& e) {
  const __m256i rb = _mm256_set1_epi32(row_bias);
  const __m256i one = _mm256_set1_epi32(1);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i s = _mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + i)), rb);
    if (col_bias != nullptr)
      s = _mm256_add_epi32(s, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col_bias + i)));
    for (const EpilogueStep& st : e) {
      if (st.kind == EpilogueStep::Kind::kRightShift) {
        // floor((floor(s / 2^(b-1)) + 1) / 2) = (t >> 1) + (t & 1), t = s >> (b-1):
        // no intermediate leaves int32 (cvm_right_shift_b2 allows t + 1 = 2^31).
        const __m256i t = _mm256_sra_epi32(s, _mm_cvtsi32_si128(st.shift_bit - 1));
        s = _mm256_add_epi32(_mm256_srai_epi32(t, 1), _mm256_and_si256(t, one));
      }
      s = _mm256_max_epi32(s, _mm256_set1_epi32(static_cast<int32_t>(st.lo)));
      s = _mm256_min_epi32(s, _mm256_set1_epi32(static_cast<int32_t>(st.hi)));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(v + i), s);
  }
  epilogue_row_portable(v + i, n - i, row_bias, col_bias != nullptr ? col_bias + i : nullptr, e);
}

// The task grid of one engine run.
struct Grid {
  int64_t images, rows, cols, kp;
  int64_t panels, tiles;
  int64_t panels_per_block, tiles_per_block, row_blocks, col_blocks;
  int64_t kc_blocks, kc;
  int64_t tasks() const { return images * row_blocks * col_blocks; }
};

Grid make_grid(int64_t images, int64_t rows, int64_t cols, int64_t k_count, int threads) {
  Grid g{};
  g.images = images;
  g.rows = rows;
  g.cols = cols;
  g.kp = ceil_div(k_count, 2);
  g.panels = ceil_div(rows, kMR);
  g.tiles = ceil_div(cols, kNR);
  g.panels_per_block = std::min<int64_t>(g.panels, 32);
  g.tiles_per_block = std::min<int64_t>(g.tiles, 4);
  auto update = [&] {
    g.row_blocks = ceil_div(g.panels, g.panels_per_block);
    g.col_blocks = ceil_div(g.tiles, g.tiles_per_block);
  };
  update();
  // Enough tasks that the static chunks of parallel_for balance.
  const int64_t want = threads > 1 ? 8 * int64_t{threads} : 1;
  while (g.tasks() < want) {
    if (g.panels_per_block > 4) g.panels_per_block = ceil_div(g.panels_per_block, 2);
    else if (g.tiles_per_block > 1) --g.tiles_per_block;
    else if (g.panels_per_block > 1) g.panels_per_block = ceil_div(g.panels_per_block, 2);
    else break;
    update();
  }
  g.kc_blocks = std::max<int64_t>(1, ceil_div(g.kp, kMaxKcPairs));
  g.kc = ceil_div(g.kp, g.kc_blocks);
  return g;
}

// Runs the grid: a(img) is the image's packed A; b(img, tile, kp0, kp1, buf)
// returns the tile's B sliver for pairs [kp0, kp1) (packed into buf, 32 *
// kc int16, or pointing into a prepacked B); y(img) the image's output, row
// stride ldy; row_bias(img) per-row bias (or nullptr), col_bias per-column.
template <class AFn, class BFn, class YFn, class RowBiasFn>
void run_grid(const Grid& g, const Exec& exec, AFn a_of, BFn b_of, YFn y_of, int64_t ldy,
              RowBiasFn row_bias_of, const int32_t* col_bias, const Epilogue& e) {
  const bool vnni = use_avx512_vnni();
  exec.parallel_for(g.tasks(), 1, [&](int64_t begin, int64_t end) {
    std::vector<int16_t> raw(static_cast<size_t>(32 * g.kc + 16));
    int16_t* buf = raw.data();
    while (reinterpret_cast<uintptr_t>(buf) % 32 != 0) ++buf;
    for (int64_t task = begin; task < end; ++task) {
      const int64_t cb = task % g.col_blocks;
      const int64_t rb = (task / g.col_blocks) % g.row_blocks;
      const int64_t img = task / (g.col_blocks * g.row_blocks);
      const int16_t* a = a_of(img);
      int32_t* y = y_of(img);
      const int64_t p0 = rb * g.panels_per_block, p1 = std::min(g.panels, p0 + g.panels_per_block);
      const int64_t t0 = cb * g.tiles_per_block, t1 = std::min(g.tiles, t0 + g.tiles_per_block);
      for (int64_t kb = 0; kb < g.kc_blocks; ++kb) {
        const int64_t kp0 = kb * g.kc, kp1 = std::min(g.kp, kp0 + g.kc);
        if (kp0 >= kp1) break;
        for (int64_t t = t0; t < t1; ++t) {
          const int16_t* b = b_of(img, t, kp0, kp1, buf);
          const int64_t cols = std::min<int64_t>(kNR, g.cols - t * kNR);
          const int64_t kc = kp1 - kp0, panel_stride = g.kp * 2 * kMR;
          int64_t p = p0;
          if (vnni && cols == kNR) {
            // Runs of 3 (else 2) full panels through the VNNI kernel.
            for (; p + 3 <= p1 && (p + 3) * kMR <= g.rows; p += 3)
              micro_vnni<3>(a + (p * g.kp + kp0) * 2 * kMR, panel_stride, b, kc,
                            y + p * kMR * ldy + t * kNR, ldy, kb > 0);
            for (; p + 2 <= p1 && (p + 2) * kMR <= g.rows; p += 2)
              micro_vnni<2>(a + (p * g.kp + kp0) * 2 * kMR, panel_stride, b, kc,
                            y + p * kMR * ldy + t * kNR, ldy, kb > 0);
          }
          for (; p < p1; ++p) {
            const int64_t rows = std::min<int64_t>(kMR, g.rows - p * kMR);
            tile_product(a + (p * g.kp + kp0) * 2 * kMR, b, kc,
                         y + p * kMR * ldy + t * kNR, ldy, rows, cols, kb > 0);
          }
        }
      }
      const int32_t* rbias = row_bias_of(img);
      const int64_t m0 = p0 * kMR, m1 = std::min(g.rows, p1 * kMR);
      const int64_t n0 = t0 * kNR, n1 = std::min(g.cols, t1 * kNR);
      for (int64_t m = m0; m < m1; ++m)
        epilogue_row(y + m * ldy + n0, n1 - n0, rbias != nullptr ? rbias[m] : 0,
                     col_bias != nullptr ? col_bias + n0 : nullptr, e);
    }
  });
}

// The padded, column-phase-split int16 copy of x: channel plane of hp rows,
// each row sw phases of wq columns; padded column j lies in phase j % sw at
// index j / sw, so output column q reads phase (v dw) % sw at q + (v dw) / sw:
// consecutive output columns read consecutive elements for any stride.
struct ConvBuffer {
  int64_t hp, wp, wq, wrow, plane;
};

ConvBuffer conv_buffer(const ConvProblem& p) {
  ConvBuffer b{};
  b.hp = p.h + 2 * p.ph;
  b.wp = p.w + 2 * p.pw;
  b.wq = ceil_div(b.wp, p.sw);
  b.wrow = b.wq * p.sw;
  b.plane = b.hp * b.wrow;
  return b;
}

// Segments of one B tile: columns [start, 16) read base + off + lane (later
// segments overriding earlier ones); lanes >= valid are zero.
struct TileSegs {
  int count = 0;
  int64_t off[kNR + 1];
  __m256i mask[kNR + 1];  // lanes >= start of the segment
  __m256i valid;
};

}  // namespace

// Scratch memory reused by later runs on the calling thread (kernels of
// one program run on one thread, one after another): a fresh multi-megabyte
// vector per call costs more in page faults and zero-filling than the packing
// itself. Contents are unspecified; callers write before they read.
int16_t* scratch(int slot, size_t elements) {
  thread_local std::vector<int16_t> buffers[2];
  std::vector<int16_t>& b = buffers[slot];
  if (b.size() < elements) b.resize(elements);
  return b.data();
}

int64_t conv_buffer_elements(const ConvProblem& p) {
  const ConvBuffer b = conv_buffer(p);
  return p.n * p.c * b.plane + kGuardFront + kGuardBack;
}

void conv2d_avx2(const ConvProblem& p, const Exec& exec) {
  const ConvBuffer cb = conv_buffer(p);
  const int64_t icg = p.c / p.groups, opg = p.o / p.groups;
  const int64_t k_count = icg * p.kh * p.kw;
  const int64_t kp = ceil_div(k_count, 2);
  const int64_t npix = p.oh * p.ow;

  // 1. The padded copy (rows and columns outside x are zero).
  const auto buffer_size = static_cast<size_t>(conv_buffer_elements(p));
  int16_t* const buffer = scratch(0, buffer_size);
  std::fill_n(buffer, buffer_size, int16_t{0});
  int16_t* base = buffer + kGuardFront;
  exec.parallel_for(p.n * p.c, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, cb.plane)),
                    [&](int64_t begin, int64_t end) {
                      for (int64_t ch = begin; ch < end; ++ch) {
                        int16_t* dplane = base + ch * cb.plane;
                        const int32_t* splane = p.x + ch * p.h * p.w;
                        for (int64_t r = 0; r < p.h; ++r) {
                          int16_t* d = dplane + (r + p.ph) * cb.wrow;
                          const int32_t* s = splane + r * p.w;
                          if (p.sw == 1) {
                            for (int64_t j = 0; j < p.w; ++j) d[p.pw + j] = static_cast<int16_t>(s[j]);
                          } else {
                            for (int64_t q = 0; q < p.sw; ++q) {
                              int16_t* dq = d + q * cb.wq;
                              // padded column j = i * sw + q reads x column j - pw.
                              for (int64_t i = 0; i < cb.wq; ++i) {
                                const int64_t col = i * p.sw + q - p.pw;
                                if (col >= 0 && col < p.w) dq[i] = static_cast<int16_t>(s[col]);
                              }
                            }
                          }
                        }
                      }
                    });

  // 2. koff[k]: the offset of term k = (c, u, v) in a group's channels, -1
  // for the zero term that pads K to even.
  std::vector<int64_t> koff(static_cast<size_t>(2 * kp), -1);
  {
    int64_t k = 0;
    for (int64_t c = 0; c < icg; ++c)
      for (int64_t u = 0; u < p.kh; ++u)
        for (int64_t v = 0; v < p.kw; ++v) {
          const int64_t col = v * p.dw;
          koff[static_cast<size_t>(k++)] =
              c * cb.plane + u * p.dh * cb.wrow + (col % p.sw) * cb.wq + col / p.sw;
        }
  }

  const Grid g = make_grid(p.n * p.groups, opg, npix, k_count, exec.threads());
  const int16_t* const bufp = base;
  auto a_of = [&](int64_t img) { return p.a + (img % p.groups) * p.a_group_stride; };
  auto y_of = [&](int64_t img) { return p.y + img * opg * npix; };
  auto rbias_of = [&](int64_t img) -> const int32_t* {
    return p.bias != nullptr ? p.bias + (img % p.groups) * opg : nullptr;
  };
  auto b_of = [&](int64_t img, int64_t t, int64_t kp0, int64_t kp1, int16_t* dst) -> const int16_t* {
    const int16_t* src = bufp + ((img / p.groups) * p.c + (img % p.groups) * icg) * cb.plane;
    // Segments of columns [t * 16, t * 16 + 16).
    TileSegs s;
    const __m256i lane = _mm256_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    int64_t pix = t * kNR;
    int64_t j = 0;
    int64_t oh = pix / p.ow, ow = pix % p.ow;
    while (j < kNR && pix < npix) {
      const int64_t len = std::min({kNR - j, p.ow - ow, npix - pix});
      s.off[s.count] = oh * p.sh * cb.wrow + ow - j;
      s.mask[s.count] = _mm256_cmpgt_epi16(lane, _mm256_set1_epi16(static_cast<int16_t>(j - 1)));
      ++s.count;
      j += len;
      pix += len;
      ++oh;
      ow = 0;
    }
    s.valid = _mm256_cmpgt_epi16(_mm256_set1_epi16(static_cast<int16_t>(j)), lane);
    const bool full = j == kNR;
    auto row = [&](int64_t k) -> __m256i {
      const int64_t ko = koff[static_cast<size_t>(k)];
      if (ko < 0) return _mm256_setzero_si256();
      const int16_t* q = src + ko;
      __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + s.off[0]));
      for (int i = 1; i < s.count; ++i)
        v = _mm256_blendv_epi8(v, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + s.off[i])),
                               s.mask[i]);
      if (!full) v = _mm256_and_si256(v, s.valid);
      return v;
    };
    int16_t* d = dst;
    if (s.count == 1 && full) {
      const int64_t off = s.off[0];
      for (int64_t q = kp0; q < kp1; ++q, d += 32) {
        const int64_t k0 = koff[static_cast<size_t>(2 * q)], k1 = koff[static_cast<size_t>(2 * q + 1)];
        const __m256i r0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + k0 + off));
        const __m256i r1 =
            k1 < 0 ? _mm256_setzero_si256()
                   : _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + k1 + off));
        _mm256_store_si256(reinterpret_cast<__m256i*>(d), _mm256_unpacklo_epi16(r0, r1));
        _mm256_store_si256(reinterpret_cast<__m256i*>(d + 16), _mm256_unpackhi_epi16(r0, r1));
      }
    } else {
      for (int64_t q = kp0; q < kp1; ++q, d += 32) {
        const __m256i r0 = row(2 * q), r1 = row(2 * q + 1);
        _mm256_store_si256(reinterpret_cast<__m256i*>(d), _mm256_unpacklo_epi16(r0, r1));
        _mm256_store_si256(reinterpret_cast<__m256i*>(d + 16), _mm256_unpackhi_epi16(r0, r1));
      }
    }
    return dst;
  };
  // When several row blocks would pack the same B slivers, pack B once for
  // all tiles (in parallel) and let the tasks read it.
  const int64_t prepack_elems = g.images * g.tiles * g.kp * 32;
  if (g.row_blocks > 1 && prepack_elems <= (int64_t{1} << 25)) {
    // Every element is written by b_of before any task reads it.
    int16_t* packed = scratch(1, static_cast<size_t>(prepack_elems + 16));
    while (reinterpret_cast<uintptr_t>(packed) % 32 != 0) ++packed;
    exec.parallel_for(g.images * g.tiles, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i)
        b_of(i / g.tiles, i % g.tiles, 0, g.kp, packed + i * g.kp * 32);
    });
    const int16_t* const pk = packed;
    auto b_packed = [&](int64_t img, int64_t t, int64_t kp0, int64_t, int16_t*) -> const int16_t* {
      return pk + ((img * g.tiles + t) * g.kp + kp0) * 32;
    };
    run_grid(g, exec, a_of, b_packed, y_of, npix, rbias_of, nullptr, *p.epilogue);
    return;
  }
  run_grid(g, exec, a_of, b_of, y_of, npix, rbias_of, nullptr, *p.epilogue);
}

void dense_avx2(const DenseProblem& p, const Exec& exec) {
  // A = x packed per run (it is the runtime activation), B = packed weights.
  const int64_t kp = ceil_div(p.k, 2);
  std::vector<int16_t> a(static_cast<size_t>(ceil_div(p.m, kMR) * kp * 2 * kMR));
  pack_a(p.x, p.m, p.k, p.k, a.data());
  const Grid g = make_grid(1, p.m, p.units, p.k, exec.threads());
  const int16_t* ap = a.data();
  auto a_of = [&](int64_t) { return ap; };
  auto y_of = [&](int64_t) { return p.y; };
  auto rbias_of = [&](int64_t) -> const int32_t* { return nullptr; };
  auto b_of = [&](int64_t, int64_t t, int64_t kp0, int64_t, int16_t*) -> const int16_t* {
    return p.b_packed + (t * kp + kp0) * 32;
  };
  run_grid(g, exec, a_of, b_of, y_of, p.units, rbias_of, p.bias, *p.epilogue);
}

}  // namespace cvm::fast::gemm
