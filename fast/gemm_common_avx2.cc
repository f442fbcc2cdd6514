// The AVX2 GEMM engine of the conv2d and dense fast kernels (built with
// -mavx2 -mfma; chosen through use_avx2(level)), with an int8 VNNI path.
//
// y_g[m, n] = epilogue(bias + sum_k A_g[m, k] B_g[k, n]) for independent
// images g. A (conv2d: weights; dense: x) is packed in panels of kMR rows, B
// (conv2d: the im2col of x, built tile by tile from a padded copy of x;
// dense: the packed weights) in tiles of 16 columns.
//
// int16 path (AVX2, and the level for CPUs without VNNI): k pairs
// interleaved (fast/gemm_common.h); the micro-kernel keeps kMR x 16 int32
// accumulators in registers and per k pair does one 32-bit broadcast of A
// per row and two vpmaddwd per row (8 columns x 2 k terms each).
//
// int8 path (int8_gemm(level): use_avx_vnni(level)): k quads interleaved;
// the activation operand as u = x + 128 (uint8), the weights as int8; per k
// quad one load of B (16 columns x 4 k: one zmm, or two ymm) and per row
// one 32-bit broadcast of A and one vpdpbusd per vector (4 products per
// lane). The micro-kernels are the level's (fast/gemm_i8.h: 256-bit
// AVX-VNNI one panel at a time, 512-bit AVX-512 VNNI in runs of up to 4
// full panels), built in files of their own with their level's flags, so
// this file stays AVX2. After the last K block the micro-kernel adds each
// output's correction -128 sum_k w (per row for conv2d, per column for
// dense) and its bias, pre-summed modulo 2^32 into one term per row and per
// column (I8Finish), applies the epilogue in registers and stores once.
//
// Blocking: K in blocks of <= 320 pairs (int8: quads) (the B sliver, <= 20
// KiB, stays in L1 while all panels of a row block pass over it); row
// blocks of up to 32 panels and column blocks of up to 4 tiles; threads
// split the (image, row block, column block) grid, each output element
// belonging to exactly one task, so results do not depend on the thread
// count (when several row blocks share B, B is packed once for all tiles
// first). Sums of later K blocks are added to the int32 partial sums already
// in y; after the last block each tile gets its bias and epilogue at once
// (int16: right after its products, still in L1; int8: in the
// micro-kernel's registers, before its one store).
//
// Exactness, int16: conv2d_c14 / dense_c5 give |x|, |w| <= 127, so the int16
// operands are exact and each vpmaddwd pair sum (<= 2 * 127^2) is exact;
// conv2d_b2 / dense_b2 bound every partial sum (any subset of the K terms)
// and the biased sum by R(p_y) <= 2^31 - 1, so the int32 accumulation, in
// any order, never wraps and equals the reference's int64 sum.
//
// Exactness, int8: u = x + 128 lies in [1, 255] and w in [-127, 127], so
// both bytes are exact and each product u w is exact inside vpdpbusd. The
// padding terms of K (to a multiple of 4) have w = 0 and add 0 whatever u
// is; a conv2d padding cell has x = 0, u = 128, and its term is counted in
// the weight sum like any other, so over the K terms of one output
//     sum u w = S + 128 W,  S = sum x w (the true sum), W = sum w.
// S + 128 W need not fit int32 (e.g. small p_x with long K), so the argument
// is modular: every operation on the accumulators (vpdpbusd, the int32 adds
// of later K blocks and of the correction) wraps modulo 2^32, never
// saturates, and the C++ scalar ones are done in uint32 (wrap_i32,
// add_wrap), so no signed overflow occurs. The correction is
// -128 W mod 2^32 (computed in int64), hence the corrected accumulator is
// S mod 2^32, and since conv2d_b2 / dense_b2 give |S| <= R(p_y) <= 2^31 - 1
// it is S itself. (Within one K block an accumulator stays below 1280 * 255
// * 127 < 2^26 in magnitude, so vpdpbusd itself never wraps; wrapping can
// occur only in the adds of later K blocks and of the correction.) Adding
// the correction and the bias as one term wrapped modulo 2^32 gives S + bias
// modulo 2^32, which is S + bias itself since it fits int32 (conv2d_b2 /
// dense_b2). The epilogue then sees exactly the int16 path's
// sum (the bias add is exact by the same bounds).
#include <immintrin.h>

#include <cstring>
#include <utility>
#include <vector>

#include "fast/epilogue_avx2.h"
#include "fast/gemm_common.h"
#include "fast/gemm_i8.h"

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

// ---- The int8 path: the level's micro-kernels (fast/gemm_i8.h) ----

// The finish of an epilogue, as the micro-kernels apply it.
I8Finish i8_finish(const Epilogue& e) {
  I8Finish f;
  for (const EpilogueStep& st : e)
    f.steps[f.count++] = {st.kind == EpilogueStep::Kind::kRightShift ? st.shift_bit - 1 : -1,
                          static_cast<int32_t>(st.lo), static_cast<int32_t>(st.hi)};
  f.residual_at = e.residual_at;
  return f;
}

// The int8 micro-kernels of level `level` (int8_gemm(level)).
const I8Micro& i8_micro(Isa level) {
  return use_avx512_vnni(level) ? i8_micro_avx512_vnni() : i8_micro_avx_vnni();
}

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
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i s = _mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + i)), rb);
    if (col_bias != nullptr)
      s = _mm256_add_epi32(s, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col_bias + i)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(v + i), apply_epilogue8(s, e));
  }
  epilogue_row_portable(v + i, n - i, row_bias, col_bias != nullptr ? col_bias + i : nullptr, e);
}

// The epilogue's steps as vectors, built once per engine run (not per row:
// with tiles finished one at a time a row is only 16 sums).
struct VecEpilogue {
  struct Step {
    bool shift;
    __m128i count;  // shift_bit - 1
    __m256i lo, hi;
  };
  Step steps[Epilogue::kMaxSteps];
  int count = 0;
  explicit VecEpilogue(const Epilogue& e) {
    for (const EpilogueStep& st : e)
      steps[count++] = {st.kind == EpilogueStep::Kind::kRightShift, _mm_cvtsi32_si128(st.shift_bit - 1),
                        _mm256_set1_epi32(static_cast<int32_t>(st.lo)),
                        _mm256_set1_epi32(static_cast<int32_t>(st.hi))};
  }
  // The same map as epilogue_row's loop.
  __m256i apply(__m256i s) const {
    const __m256i one = _mm256_set1_epi32(1);
    for (int i = 0; i < count; ++i) {
      const Step& st = steps[i];
      if (st.shift) {
        const __m256i t = _mm256_sra_epi32(s, st.count);
        s = _mm256_add_epi32(_mm256_srai_epi32(t, 1), _mm256_and_si256(t, one));
      }
      s = _mm256_min_epi32(_mm256_max_epi32(s, st.lo), st.hi);
    }
    return s;
  }
};

// a + b modulo 2^32, as int32 (in uint32: no signed overflow).
inline int32_t add_wrap(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// The int16 path's finish of one full 16-column tile of rows [m0, m1) at
// y + n0 (row stride ldy): the bias (row_bias, col_bias: either may be
// nullptr) and the epilogue, the same map as epilogue_row on each row.
void finish_full_tile(int32_t* y, int64_t ldy, int64_t m0, int64_t m1, int64_t n0,
                      const int32_t* row_bias, const int32_t* col_bias, const VecEpilogue& ve) {
  static_assert(kNR == 16, "two vectors per tile row");
  __m256i c0 = _mm256_setzero_si256(), c1 = c0;
  if (col_bias != nullptr) {
    c0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col_bias + n0));
    c1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col_bias + n0 + 8));
  }
  for (int64_t m = m0; m < m1; ++m) {
    const __m256i r = _mm256_set1_epi32(row_bias != nullptr ? row_bias[m] : 0);
    auto* p0 = reinterpret_cast<__m256i*>(y + m * ldy + n0);
    auto* p1 = reinterpret_cast<__m256i*>(y + m * ldy + n0 + 8);
    const __m256i s0 = _mm256_add_epi32(_mm256_add_epi32(_mm256_loadu_si256(p0), r), c0);
    const __m256i s1 = _mm256_add_epi32(_mm256_add_epi32(_mm256_loadu_si256(p1), r), c1);
    _mm256_storeu_si256(p0, ve.apply(s0));
    _mm256_storeu_si256(p1, ve.apply(s1));
  }
}

// The task grid of one engine run.
struct Grid {
  int64_t images, rows, cols, kp;
  int64_t panels, tiles;
  int64_t panels_per_block, tiles_per_block, row_blocks, col_blocks;
  int64_t kc_blocks, kc;
  int64_t tasks() const { return images * row_blocks * col_blocks; }
};

// The region of one task of a Grid: its image, its panels [p0, p1) and its
// tiles [t0, t1) (each output element belongs to exactly one task).
struct TaskRegion {
  int64_t img, p0, p1, t0, t1;
};

TaskRegion task_region(const Grid& g, int64_t task) {
  const int64_t cb = task % g.col_blocks;
  const int64_t rb = (task / g.col_blocks) % g.row_blocks;
  const int64_t p0 = rb * g.panels_per_block, t0 = cb * g.tiles_per_block;
  return {task / (g.col_blocks * g.row_blocks), p0, std::min(g.panels, p0 + g.panels_per_block), t0,
          std::min(g.tiles, t0 + g.tiles_per_block)};
}

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
  // Enough tasks that the static chunks of parallel_for balance. While all
  // panels form one row block, narrower column blocks come first: splitting
  // the panels would make the tasks share B tiles, which are then packed in
  // a pass of their own (conv2d) before the GEMM instead of inside each
  // task, cache-hot (on 2 threads the 28x28 layers of ResNet-18 went from
  // 13 tasks to 2 row blocks x 13 and spent ~20% of their time in that
  // extra pass). Each task streams all of A per tile anyway, so narrower
  // column blocks cost nothing there.
  const int64_t want = threads > 1 ? 8 * int64_t{threads} : 1;
  while (g.tasks() < want) {
    if (g.row_blocks == 1 && g.tiles_per_block > 1) --g.tiles_per_block;
    else if (g.panels_per_block > 4) g.panels_per_block = ceil_div(g.panels_per_block, 2);
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
  const VecEpilogue ve(e);
  exec.parallel_for(g.tasks(), 1, [&](int64_t begin, int64_t end) {
    // Kept per thread between runs, as run_grid8's.
    thread_local std::vector<int16_t> raw;
    const auto raw_size = static_cast<size_t>(32 * g.kc + 16);
    if (raw.size() < raw_size) raw.resize(raw_size);
    int16_t* buf = raw.data();
    while (reinterpret_cast<uintptr_t>(buf) % 32 != 0) ++buf;
    for (int64_t task = begin; task < end; ++task) {
      const TaskRegion r = task_region(g, task);
      const int64_t img = r.img, p0 = r.p0, p1 = r.p1, t0 = r.t0, t1 = r.t1;
      const int16_t* a = a_of(img);
      int32_t* y = y_of(img);
      const int32_t* rbias = row_bias_of(img);
      const int64_t m0 = p0 * kMR, m1 = std::min(g.rows, p1 * kMR);
      for (int64_t kb = 0; kb < g.kc_blocks; ++kb) {
        const int64_t kp0 = kb * g.kc, kp1 = std::min(g.kp, kp0 + g.kc);
        if (kp0 >= kp1) break;
        for (int64_t t = t0; t < t1; ++t) {
          const int16_t* b = b_of(img, t, kp0, kp1, buf);
          const int64_t cols = std::min<int64_t>(kNR, g.cols - t * kNR);
          const int64_t kc = kp1 - kp0;
          for (int64_t p = p0; p < p1; ++p) {
            const int64_t rows = std::min<int64_t>(kMR, g.rows - p * kMR);
            tile_product(a + (p * g.kp + kp0) * 2 * kMR, b, kc,
                         y + p * kMR * ldy + t * kNR, ldy, rows, cols, kb > 0);
          }
          // After the last K block, the tile's bias and epilogue while its
          // sums are still in L1.
          if (kp1 == g.kp) {
            const int64_t n0 = t * kNR;
            if (cols == kNR) {
              finish_full_tile(y, ldy, m0, m1, n0, rbias, col_bias, ve);
            } else {
              for (int64_t m = m0; m < m1; ++m)
                epilogue_row(y + m * ldy + n0, cols, rbias != nullptr ? rbias[m] : 0,
                             col_bias != nullptr ? col_bias + n0 : nullptr, e);
            }
          }
        }
      }
    }
  });
}

// run_grid for the int8 path: the grid's k unit is a k quad (make_grid with
// 2 * kq "terms", so K blocks are <= 320 quads: a 20 KiB B sliver); a(img)
// the image's packed A (bytes, 16 per panel and quad), b(img, tile, kq0,
// kq1, buf) the tile's B sliver (64 bytes per quad, packed into buf or
// pointing into a prepacked B); row_corr(img) per-row corrections (or
// nullptr), col_corr per-column ones (or nullptr); y8(img), where not
// nullptr, receives the finished values as bytes v + 128 instead of y
// (I8Finish::out8; y then holds only partial sums); residual(img), where
// the epilogue adds one, the residual in y's layout (a pair: as int32 or
// as bytes, the other nullptr). Panels go through the
// level's micro-kernels in runs of its max_panels (with 4: 3 + 2 for the
// last 5, so no single panel is left while 2 or more remain; partial panels
// and tiles through a scratch tile). Exactness: see the file comment.
template <bool kBUnsigned, class AFn, class BFn, class YFn, class Y8Fn, class ResFn, class RowBiasFn,
          class RowCorrFn>
void run_grid8(const Grid& g, const Exec& exec, AFn a_of, BFn b_of, YFn y_of, Y8Fn y8_of, ResFn residual_of,
               int64_t ldy, RowBiasFn row_bias_of, const int32_t* col_bias, RowCorrFn row_corr_of,
               const int32_t* col_corr, const Epilogue& e) {
  const I8Finish proto = i8_finish(e);
  const I8Micro& micro8 = i8_micro(exec.isa);
  const int64_t max_panels = micro8.max_panels;
  exec.parallel_for(g.tasks(), 1, [&](int64_t begin, int64_t end) {
    // The B sliver buffer: kept per thread between runs (a fresh vector
    // per call zero-filled ~20 KiB per task chunk and convolution, about
    // 0.8 MB per ResNet-18 inference); b_of writes it before it is read.
    thread_local std::vector<uint8_t> raw;
    const auto raw_size = static_cast<size_t>(kTileQuadBytes * g.kc + 64);
    if (raw.size() < raw_size) raw.resize(raw_size);
    uint8_t* buf = raw.data();
    while (reinterpret_cast<uintptr_t>(buf) % 64 != 0) ++buf;
    I8Finish fin = proto;
    for (int64_t task = begin; task < end; ++task) {
      const TaskRegion r = task_region(g, task);
      const int64_t img = r.img, p0 = r.p0, p1 = r.p1, t0 = r.t0, t1 = r.t1;
      const uint8_t* a = a_of(img);
      int32_t* y = y_of(img);
      uint8_t* y8 = y8_of(img);
      const auto res = residual_of(img);
      const int32_t* rbias = row_bias_of(img);
      const int32_t* rcorr = row_corr_of(img);
      const int64_t panel_stride = g.kp * kPanelQuadBytes;
      for (int64_t kb = 0; kb < g.kc_blocks; ++kb) {
        const int64_t kq0 = kb * g.kc, kq1 = std::min(g.kp, kq0 + g.kc);
        if (kq0 >= kq1) break;
        const int64_t kc = kq1 - kq0;
        const bool acc = kb > 0;
        // After the last K block the micro-kernel finishes the sums itself.
        const bool last = kq1 == g.kp;
        for (int64_t t = t0; t < t1; ++t) {
          const uint8_t* b = b_of(img, t, kq0, kq1, buf);
          const int64_t cols = std::min<int64_t>(kNR, g.cols - t * kNR);
          if (last)
            for (int64_t n = 0; n < kNR; ++n) {
              const int64_t col = t * kNR + n;
              fin.col_add[n] = n < cols ? add_wrap(col_corr != nullptr ? col_corr[col] : 0,
                                                   col_bias != nullptr ? col_bias[col] : 0)
                                        : 0;
            }
          auto ap = [&](int64_t p) { return a + p * panel_stride + kq0 * kPanelQuadBytes; };
          auto yp = [&](int64_t p) { return y + p * kMR * ldy + t * kNR; };
          for (int64_t p = p0; p < p1;) {
            const int64_t left = p1 - p;
            const int64_t np = max_panels == 4 && left == 5 ? 3 : std::min(left, max_panels);
            const int64_t rows = std::min(np * kMR, g.rows - p * kMR);
            if (last)
              for (int64_t i = 0; i < np * kMR; ++i) {
                const int64_t m = p * kMR + i;
                fin.row_add[i] = i < rows ? add_wrap(rcorr != nullptr ? rcorr[m] : 0,
                                                     rbias != nullptr ? rbias[m] : 0)
                                          : 0;
              }
            if (last) {
              fin.out8 = y8 != nullptr ? y8 + p * kMR * ldy + t * kNR : nullptr;
              const int64_t at = p * kMR * ldy + t * kNR;
              fin.residual = res.first != nullptr ? res.first + at : nullptr;
              fin.residual8 = res.second != nullptr ? res.second + at : nullptr;
            }
            const I8Finish* f = last ? &fin : nullptr;
            micro8.run[np - 1][kBUnsigned ? 1 : 0](ap(p), panel_stride, b, kc, yp(p), ldy, rows, cols,
                                                   acc, f);
            p += np;
          }
        }
      }
    }
  });
}

// The padded, column-phase-split int16 copy of x: channel plane of hp rows,
// each row sw phases of wq columns; padded column j lies in phase j % sw at
// index j / sw, so output column q reads phase (v dw) % sw at q + (v dw) / sw:
// consecutive output columns read consecutive elements for any stride.
// Output row r reads buffer rows from r * row_step on.
//
// A strided 1x1 convolution without padding reads only the pixels (r sh,
// q sw) of x: the copy is then compact instead, those pixels only, one oh x
// ow plane per channel (compact = true, row_step = 1), and the GEMM runs as
// a 1x1 stride-1 one over it. The full copy would convert sh sw times more
// of x than is used; in the compact plane a B tile of 16 consecutive pixels
// is one contiguous load per channel even across output rows.
struct ConvBuffer {
  int64_t hp, wp, wq, wrow, plane, row_step;
  bool compact;
};

bool gathers_compact(const ConvProblem& p) {
  return p.kh == 1 && p.kw == 1 && p.ph == 0 && p.pw == 0 && (p.sh > 1 || p.sw > 1);
}

ConvBuffer conv_buffer(const ConvProblem& p) {
  ConvBuffer b{};
  if (gathers_compact(p)) {
    b.hp = p.oh;
    b.wp = b.wq = b.wrow = p.ow;
    b.plane = p.oh * p.ow;
    b.row_step = 1;
    b.compact = true;
    return b;
  }
  b.hp = p.h + 2 * p.ph;
  b.wp = p.w + 2 * p.pw;
  b.wq = ceil_div(b.wp, p.sw);
  b.wrow = b.wq * p.sw;
  b.plane = b.hp * b.wrow;
  b.row_step = p.sh;
  b.compact = false;
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
// itself. Contents are unspecified; callers write before they read. Slots:
// 0 the padded copy, 1 the pre-packed B, 2 the int8 conv's partial sums
// when it hands its output over as bytes (conv2d_i8).
int16_t* scratch(int slot, size_t elements) {
  thread_local std::vector<int16_t> buffers[3];
  std::vector<int16_t>& b = buffers[slot];
  if (b.size() < elements) b.resize(elements);
  return b.data();
}

int64_t conv_buffer_elements(const ConvProblem& p) {
  const ConvBuffer b = conv_buffer(p);
  return p.n * p.c * b.plane + kGuardFront + kGuardBack;
}

namespace {

// d[i] = s[i] + 128 as uint8 (s[i] in [-127, 127], so the saturating packs
// are exact).
void to_u8(const int32_t* s, int64_t n, uint8_t* d) {
  const __m256i off = _mm256_set1_epi32(128);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i a = _mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i)), off);
    const __m256i b = _mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i + 8)), off);
    // packus_epi32 interleaves 128-bit halves: a0-3 b0-3 | a4-7 b4-7.
    const __m256i w16 = _mm256_permute4x64_epi64(_mm256_packus_epi32(a, b), 0xD8);
    const __m128i w8 = _mm_packus_epi16(_mm256_castsi256_si128(w16), _mm256_extracti128_si256(w16, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + i), w8);
  }
  for (; i < n; ++i) d[i] = static_cast<uint8_t>(s[i] + 128);
}

}  // namespace

bool int8_gemm(Isa level) { return use_avx_vnni(level); }

namespace {

// The compact copy of a strided 1x1 convolution (ConvBuffer::compact):
// dst plane ch, element r * ow + q = cvt(x[ch, r sh, q sw]).
template <class S, class T, class Cvt>
void gather_compact(const ConvProblem& p, const S* x, const Exec& exec, Cvt cvt, T* dst) {
  const int64_t h = p.h, w = p.w, oh = p.oh, ow = p.ow, sh = p.sh, sw = p.sw;
  exec.parallel_for(p.n * p.c, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, oh * ow)),
                    [=](int64_t begin, int64_t end) {
                      for (int64_t ch = begin; ch < end; ++ch)
                        for (int64_t r = 0; r < oh; ++r) {
                          const S* s = x + (ch * h + r * sh) * w;
                          T* d = dst + (ch * oh + r) * ow;
                          for (int64_t q = 0; q < ow; ++q) d[q] = cvt(s[q * sw]);
                        }
                    });
}

// koff for the K = icg kh kw terms (c, u, v) of one group's channels: the
// offset of term k in the padded copy, `size` entries, -1 for those past K
// (the terms that pad K, whose weights are 0). The (u, v) offsets are
// computed once and each channel adds its plane: this runs serially before
// the GEMM, and per term with its divisions by the stride it took ~10 us
// for the K = 4608 layers of ResNet-18, while the threads waited.
std::vector<int64_t> term_offsets(const ConvProblem& p, const ConvBuffer& cb, int64_t icg, int64_t size) {
  std::vector<int64_t> koff(static_cast<size_t>(size), -1);
  std::vector<int64_t> tap(static_cast<size_t>(p.kh * p.kw));
  for (int64_t u = 0; u < p.kh; ++u)
    for (int64_t v = 0; v < p.kw; ++v) {
      const int64_t col = v * p.dw;
      tap[static_cast<size_t>(u * p.kw + v)] = u * p.dh * cb.wrow + (col % p.sw) * cb.wq + col / p.sw;
    }
  int64_t* k = koff.data();
  for (int64_t c = 0; c < icg; ++c) {
    const int64_t plane = c * cb.plane;
    for (const int64_t t : tap) *k++ = plane + t;
  }
  return koff;
}

// The int8 conv2d: as conv2d_avx2 below, on a padded copy of u = x + 128
// (uint8; the padding cells and guards hold 128, i.e. x = 0) and int8
// weights, B tiles of 16 pixels x 4 k terms (64 bytes per quad).
void conv2d_i8(const ConvProblem& p, const Exec& exec) {
  const ConvBuffer cb = conv_buffer(p);
  const int64_t icg = p.c / p.groups, opg = p.o / p.groups;
  const int64_t k_count = icg * p.kh * p.kw;
  const int64_t kq = ceil_div(k_count, kKQ);
  const int64_t npix = p.oh * p.ow;

  // 1. The padded copy.
  const int64_t buffer_size = conv_buffer_elements(p);
  auto* const buffer = reinterpret_cast<uint8_t*>(scratch(0, static_cast<size_t>(buffer_size / 2 + 1)));
  // Only the guards here: each task fills its own planes' padding, cache-hot
  // and in parallel (a serial fill of the whole buffer first cost as much as
  // the copy and did not scale with threads).
  std::fill_n(buffer, kGuardFront, uint8_t{128});
  std::fill_n(buffer + buffer_size - kGuardBack, kGuardBack, uint8_t{128});
  uint8_t* base = buffer + kGuardFront;
  // (Sizes and pointers copied into the lambda: stores through uint8_t* may
  // alias p and cb, which would be reloaded per element.)
  const int64_t h = p.h, w = p.w, ph = p.ph, pw = p.pw, sw = p.sw;
  const int32_t* const x = p.x;
  // x handed over as bytes u = x + 128 (ConvProblem::x8) is copied as it is.
  const uint8_t* const x8 = p.x8;
  if (cb.compact && x8 != nullptr) {
    gather_compact(p, x8, exec, [](uint8_t u) { return u; }, base);
  } else if (cb.compact) {
    gather_compact(p, x, exec, [](int32_t v) { return static_cast<uint8_t>(v + 128); }, base);
  } else {
    exec.parallel_for(p.n * p.c, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, cb.plane)),
                      [&, h, w, ph, pw, sw, x, x8, cb, base](int64_t begin, int64_t end) {
                        std::vector<uint8_t> row_u8(static_cast<size_t>(sw == 1 ? 0 : w));
                        // Row r of channel ch as bytes u: the handed-over
                        // bytes themselves, or converted into row_u8.
                        auto row_bytes = [&](int64_t ch, int64_t r) -> const uint8_t* {
                          if (x8 != nullptr) return x8 + (ch * h + r) * w;
                          to_u8(x + (ch * h + r) * w, w, row_u8.data());
                          return row_u8.data();
                        };
                        for (int64_t ch = begin; ch < end; ++ch) {
                          uint8_t* dplane = base + ch * cb.plane;
                          const int32_t* splane = x + ch * h * w;
                          // The padding: the whole plane at once (one fill
                          // per plane, not per row; the copy overwrites the
                          // cells of x).
                          std::fill_n(dplane, cb.plane, uint8_t{128});
                          for (int64_t r = 0; r < h; ++r) {
                            uint8_t* d = dplane + (r + ph) * cb.wrow;
                            const int32_t* s = splane + r * w;
                            if (sw == 1 && x8 != nullptr) {
                              std::memcpy(d + pw, x8 + (ch * h + r) * w, static_cast<size_t>(w));
                            } else if (sw == 1) {
                              to_u8(s, w, d + pw);
                            } else if (sw == 2) {
                              // x column c is padded column j = c + pw: phase
                              // j % 2, index j / 2. 16 columns at a time split
                              // into their 8 even and 8 odd ones.
                              const uint8_t* t = row_bytes(ch, r);
                              const __m128i split =
                                  _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
                              int64_t c = 0;
                              for (; c + 16 <= w; c += 16) {
                                const __m128i v = _mm_shuffle_epi8(
                                    _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + c)), split);
                                const int64_t je = c + pw, jo = c + 1 + pw;
                                _mm_storel_epi64(reinterpret_cast<__m128i*>(d + (je % 2) * cb.wq + je / 2), v);
                                _mm_storel_epi64(reinterpret_cast<__m128i*>(d + (jo % 2) * cb.wq + jo / 2),
                                                 _mm_unpackhi_epi64(v, v));
                              }
                              for (; c < w; ++c) d[((c + pw) % 2) * cb.wq + (c + pw) / 2] = t[c];
                            } else {
                              const uint8_t* t = row_bytes(ch, r);
                              for (int64_t q = 0; q < sw; ++q) {
                                // padded column i * sw + q reads x column i * sw + q - pw.
                                uint8_t* dq = d + q * cb.wq;
                                const int64_t i0 = pw > q ? ceil_div(pw - q, sw) : 0;
                                const int64_t i1 = std::min(cb.wq, w + pw > q ? ceil_div(w + pw - q, sw) : 0);
                                for (int64_t i = i0; i < i1; ++i) dq[i] = t[i * sw + q - pw];
                              }
                            }
                          }
                        }
                      });
  }

  // 2. koff[k]: the offset of term k = (c, u, v) in a group's channels, -1
  // for the terms that pad K to a multiple of 4 (their weights are 0).
  const std::vector<int64_t> koff = term_offsets(p, cb, icg, kKQ * kq);

  const Grid g = make_grid(p.n * p.groups, opg, npix, 2 * kq, exec.threads());  // g.kp = kq
  const uint8_t* const bufp = base;
  const int64_t corr_stride = ceil_div(opg, kMR) * kMR;
  auto a_of = [&](int64_t img) {
    return reinterpret_cast<const uint8_t*>(p.a8) + (img % p.groups) * p.a8_group_stride;
  };
  // With the int8 hand-off (p.y8) the finished values go out as bytes and
  // int32 memory is needed only for the partial sums of K blocks before the
  // last: a scratch buffer (p.y is then not written).
  int32_t* const y32 =
      p.y8 == nullptr ? p.y : reinterpret_cast<int32_t*>(scratch(2, static_cast<size_t>(2 * g.images * opg * npix)));
  auto y_of = [&](int64_t img) { return y32 + img * opg * npix; };
  auto y8_of = [&](int64_t img) -> uint8_t* { return p.y8 != nullptr ? p.y8 + img * opg * npix : nullptr; };
  auto residual_of = [&](int64_t img) -> std::pair<const int32_t*, const uint8_t*> {
    const int64_t at = img * opg * npix;
    return {p.residual != nullptr ? p.residual + at : nullptr, p.residual8 != nullptr ? p.residual8 + at : nullptr};
  };
  auto rbias_of = [&](int64_t img) -> const int32_t* {
    return p.bias != nullptr ? p.bias + (img % p.groups) * opg : nullptr;
  };
  auto rcorr_of = [&](int64_t img) -> const int32_t* { return p.a8_corr + (img % p.groups) * corr_stride; };
  auto b_of = [&](int64_t img, int64_t t, int64_t kq0, int64_t kq1, uint8_t* dst) -> const uint8_t* {
    const uint8_t* src = bufp + ((img / p.groups) * p.c + (img % p.groups) * icg) * cb.plane;
    // Segments of columns [t * 16, t * 16 + 16): columns [start, 16) read
    // src + koff + off + lane, later segments overriding earlier ones.
    int count = 0;
    int64_t off[kNR + 1];
    __m128i mask[kNR + 1];
    const __m128i lane = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    int64_t pix = t * kNR;
    int64_t j = 0;
    int64_t oh = pix / p.ow, ow = pix % p.ow;
    while (j < kNR && pix < npix) {
      const int64_t len = std::min({kNR - j, p.ow - ow, npix - pix});
      // A segment that continues the previous one's addresses (the compact
      // copy) extends it.
      const int64_t o = oh * cb.row_step * cb.wrow + ow - j;
      if (count == 0 || o != off[count - 1]) {
        off[count] = o;
        mask[count] = _mm_cmpgt_epi8(lane, _mm_set1_epi8(static_cast<char>(j - 1)));
        ++count;
      }
      j += len;
      pix += len;
      ++oh;
      ow = 0;
    }
    // Columns >= j are outside the image: their sums are dropped.
    auto row = [&](int64_t k) -> __m128i {
      const int64_t ko = koff[static_cast<size_t>(k)];
      if (ko < 0) return _mm_setzero_si128();
      const uint8_t* q = src + ko;
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + off[0]));
      for (int i = 1; i < count; ++i)
        v = _mm_blendv_epi8(v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + off[i])), mask[i]);
      return v;
    };
    // Four rows of 16 bytes (k = 4q .. 4q + 3) -> 16 lanes of 4 bytes.
    auto store_quad = [](uint8_t* d, __m128i r0, __m128i r1, __m128i r2, __m128i r3) {
      const __m128i p01l = _mm_unpacklo_epi8(r0, r1), p01h = _mm_unpackhi_epi8(r0, r1);
      const __m128i p23l = _mm_unpacklo_epi8(r2, r3), p23h = _mm_unpackhi_epi8(r2, r3);
      _mm_store_si128(reinterpret_cast<__m128i*>(d), _mm_unpacklo_epi16(p01l, p23l));
      _mm_store_si128(reinterpret_cast<__m128i*>(d + 16), _mm_unpackhi_epi16(p01l, p23l));
      _mm_store_si128(reinterpret_cast<__m128i*>(d + 32), _mm_unpacklo_epi16(p01h, p23h));
      _mm_store_si128(reinterpret_cast<__m128i*>(d + 48), _mm_unpackhi_epi16(p01h, p23h));
    };
    uint8_t* d = dst;
    if (count == 1) {
      const uint8_t* s0 = src + off[0];
      auto ld = [&](int64_t k) -> __m128i {
        const int64_t ko = koff[static_cast<size_t>(k)];
        return ko < 0 ? _mm_setzero_si128() : _mm_loadu_si128(reinterpret_cast<const __m128i*>(s0 + ko));
      };
      for (int64_t q = kq0; q < kq1; ++q, d += kTileQuadBytes)
        store_quad(d, ld(4 * q), ld(4 * q + 1), ld(4 * q + 2), ld(4 * q + 3));
    } else {
      for (int64_t q = kq0; q < kq1; ++q, d += kTileQuadBytes)
        store_quad(d, row(4 * q), row(4 * q + 1), row(4 * q + 2), row(4 * q + 3));
    }
    return dst;
  };
  const int64_t prepack_bytes = g.images * g.tiles * g.kp * kTileQuadBytes;
  if (g.row_blocks > 1 && prepack_bytes <= (int64_t{1} << 26)) {
    // Every byte is written by b_of before any task reads it.
    auto* packed = reinterpret_cast<uint8_t*>(scratch(1, static_cast<size_t>(prepack_bytes / 2 + 64)));
    while (reinterpret_cast<uintptr_t>(packed) % 64 != 0) ++packed;
    exec.parallel_for(g.images * g.tiles, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i)
        b_of(i / g.tiles, i % g.tiles, 0, g.kp, packed + i * g.kp * kTileQuadBytes);
    });
    const uint8_t* const pk = packed;
    auto b_packed = [&](int64_t img, int64_t t, int64_t kq0, int64_t, uint8_t*) -> const uint8_t* {
      return pk + ((img * g.tiles + t) * g.kp + kq0) * kTileQuadBytes;
    };
    run_grid8<true>(g, exec, a_of, b_packed, y_of, y8_of, residual_of, npix, rbias_of, nullptr, rcorr_of, nullptr,
                    *p.epilogue);
    return;
  }
  run_grid8<true>(g, exec, a_of, b_of, y_of, y8_of, residual_of, npix, rbias_of, nullptr, rcorr_of, nullptr,
                  *p.epilogue);
}

// The int8 dense: A = u = x + 128 packed per run, B = the int8 weights.
void dense_i8(const DenseProblem& p, const Exec& exec) {
  const int64_t kq = ceil_div(p.k, kKQ);
  std::vector<uint8_t> a(static_cast<size_t>(ceil_div(p.m, kMR) * kq * kPanelQuadBytes));
  pack_a8u(p.x, p.m, p.k, p.k, a.data());
  const Grid g = make_grid(1, p.m, p.units, 2 * kq, exec.threads());  // g.kp = kq
  const uint8_t* ap = a.data();
  const auto* bp = reinterpret_cast<const uint8_t*>(p.b8);
  auto a_of = [&](int64_t) { return ap; };
  auto y_of = [&](int64_t) { return p.y; };
  auto none = [&](int64_t) -> const int32_t* { return nullptr; };
  auto b_of = [&](int64_t, int64_t t, int64_t kq0, int64_t, uint8_t*) -> const uint8_t* {
    return bp + (t * kq + kq0) * kTileQuadBytes;
  };
  auto no_bytes = [](int64_t) -> uint8_t* { return nullptr; };
  auto no_residual = [](int64_t) { return std::pair<const int32_t*, const uint8_t*>{nullptr, nullptr}; };
  run_grid8<false>(g, exec, a_of, b_of, y_of, no_bytes, no_residual, p.units, none, p.bias, none, p.b8_corr, *p.epilogue);
}

}  // namespace

void conv2d_avx2(const ConvProblem& p, const Exec& exec) {
  if (int8_gemm(exec.isa) && p.a8 != nullptr) {
    conv2d_i8(p, exec);
    return;
  }
  const ConvBuffer cb = conv_buffer(p);
  const int64_t icg = p.c / p.groups, opg = p.o / p.groups;
  const int64_t k_count = icg * p.kh * p.kw;
  const int64_t kp = ceil_div(k_count, 2);
  const int64_t npix = p.oh * p.ow;

  // 1. The padded copy (rows and columns outside x are zero).
  const auto buffer_size = static_cast<size_t>(conv_buffer_elements(p));
  int16_t* const buffer = scratch(0, buffer_size);
  // Only the guards here; the tasks fill their planes' padding (as conv2d_i8).
  std::fill_n(buffer, kGuardFront, int16_t{0});
  std::fill_n(buffer + buffer_size - kGuardBack, kGuardBack, int16_t{0});
  int16_t* base = buffer + kGuardFront;
  if (cb.compact) {
    gather_compact(p, p.x, exec, [](int32_t v) { return static_cast<int16_t>(v); }, base);
  } else {
    exec.parallel_for(p.n * p.c, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, cb.plane)),
                      [&](int64_t begin, int64_t end) {
                        for (int64_t ch = begin; ch < end; ++ch) {
                          int16_t* dplane = base + ch * cb.plane;
                          const int32_t* splane = p.x + ch * p.h * p.w;
                          std::fill_n(dplane, cb.plane, int16_t{0});
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
  }

  // 2. koff[k]: the offset of term k = (c, u, v) in a group's channels, -1
  // for the zero term that pads K to even.
  const std::vector<int64_t> koff = term_offsets(p, cb, icg, 2 * kp);

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
      // A segment that continues the previous one's addresses (the compact
      // copy) extends it.
      const int64_t o = oh * cb.row_step * cb.wrow + ow - j;
      if (s.count == 0 || o != s.off[s.count - 1]) {
        s.off[s.count] = o;
        s.mask[s.count] = _mm256_cmpgt_epi16(lane, _mm256_set1_epi16(static_cast<int16_t>(j - 1)));
        ++s.count;
      }
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
  if (int8_gemm(exec.isa) && p.b8 != nullptr) {
    dense_i8(p, exec);
    return;
  }
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
