// The direct depthwise conv2d on AVX2 (built with -mavx2 -mfma), with
// AVX-512 VNNI plane kernels (function-level target, reached only when the
// caller's level is the VNNI one). See fast/conv2d_depthwise.h for the
// plane buffer and why it is exact; stride-2 layers without column dilation
// use the column-pair layout below instead of row pairs.
//
// Tasks are (batch, input channel) planes. A task builds the buffer rows of
// a band of output rows (only the rows and phases some tap reads) and
// computes the band of each of the channel multiplier's output planes from
// them. Vectors of output columns take one load and one multiply-add per
// tap (one tap = two kernel values), four vectors at a time (across output
// row ends) for independent accumulators; the bias and the epilogue steps
// are applied in registers before the store (the columns past OW, computed
// from padding lanes, are dropped). 3x3, 5x5 and 1x1 kernels have kernels
// with the tap count fixed (weights kept in registers).
//
// Measured on the MobileNetV2 layer shapes (bench/fast_ops_bench.cc,
// conv2d/dw_*): 2.5-6x the grouped GEMM they replace.
#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "fast/conv2d_depthwise.h"
#include "fast/epilogue_avx2.h"

namespace cvm::fast::depthwise {
namespace {

using gemm::ceil_div;
using gemm::ConvProblem;

// Bytes of buffer rows per band of output rows: the scratch stays small
// whatever the image (no measurable speed difference to whole planes).
constexpr int64_t kBandBytes = 16 * 1024;

// The AVX-512 VNNI functions: a function-level target keeps this file's
// -mavx2 build; they run only when the caller's level is the VNNI one.
#define CVM_TARGET_AVX512_VNNI __attribute__((target("avx512f,avx512bw,avx512vnni")))
// All 16 lanes, for the zero-masking forms used below: GCC 12's unmasked
// forms read an "undefined" source that -Wmaybe-uninitialized flags.
constexpr __mmask16 kAll16 = 0xFFFF;

// ---- plane buffer ----

// Lanes (lo[i] low half, hi[i] high half) from two vectors of x values.
inline __m256i pair_lanes(__m256i lo, __m256i hi) {
  return _mm256_blend_epi16(lo, _mm256_slli_epi32(hi, 16), 0xAA);
}

inline __m256i load8(const int32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }

// The lanes [lo, hi) of one phase row that hold image columns (the others
// are padding, zero in every plane); column c = sw t - first.
struct PhaseSpan {
  int64_t lo = 0, hi = 0, first = 0;
  bool read = false;  // whether some tap reads this phase
};

// Which buffer rows and phases some tap reads, and each phase's image span.
struct Reads {
  std::vector<char> rows;
  std::vector<PhaseSpan> phases;
};

Reads reads(const ConvProblem& p, const Geometry& g) {
  Reads r{std::vector<char>(static_cast<size_t>(g.rows), 0), std::vector<PhaseSpan>(static_cast<size_t>(p.sw))};
  for (int64_t i = 0; i < p.oh; ++i)
    for (int64_t up = 0; up < g.row_pairs; ++up) r.rows[static_cast<size_t>(i * p.sh + 2 * up * p.dh)] = 1;
  for (int64_t v = 0; v < p.kw; ++v) r.phases[static_cast<size_t>(v * p.dw % p.sw)].read = true;
  for (int64_t f = 0; f < p.sw; ++f) {
    PhaseSpan& ps = r.phases[static_cast<size_t>(f)];
    ps.first = p.pw - f;  // column c >= 0: sw t >= first
    const int64_t end = p.w + p.pw - f;  // c < W: sw t < end
    ps.hi = std::min(end <= 0 ? 0 : ceil_div(end, p.sw), g.t);
    ps.lo = std::min(ps.first <= 0 ? 0 : ceil_div(ps.first, p.sw), ps.hi);
  }
  return r;
}

// Lanes i < n set (n <= 0: none), as a vpmaskmovd mask.
inline __m256i first_lanes(int64_t n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int32_t>(std::clamp<int64_t>(n, 0, 8))),
                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// x[0..n) (n <= 8) and zeros; all zeros for a padding row (nullptr). Masked
// lanes are not read.
inline __m256i load_n(const int32_t* x, int64_t n) {
  if (x == nullptr) return _mm256_setzero_si256();
  if (n >= 8) return load8(x);
  return _mm256_maskload_epi32(x, first_lanes(n));
}

// x[0], x[2], ... x[2 (n - 1)] (n <= 8) and zeros; zeros for nullptr.
inline __m256i evens_n(const int32_t* x, int64_t n) {
  if (x == nullptr) return _mm256_setzero_si256();
  const int64_t m = 2 * n - 1;  // elements read
  const __m256i idx = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  const __m256i a = _mm256_permutevar8x32_epi32(load_n(x, m), idx);
  const __m256i b = m > 8 ? _mm256_permutevar8x32_epi32(load_n(x + 8, m - 8), idx) : _mm256_setzero_si256();
  return _mm256_permute2x128_si256(a, b, 0x20);
}

// The image lanes of one phase row: dst[t] = pair16(x1[c], x2[c]), a value
// of a padding row (x1 / x2 nullptr) 0. Strides 1 and 2 by vectors (the
// last one with masked loads: no read past the image row), others lane by
// lane.
void build_phase_row(const int32_t* x1, const int32_t* x2, const ConvProblem& p, const PhaseSpan& ps,
                     int64_t t_count, int32_t* dst) {
  if (p.sw <= 2) {
    for (int64_t t = ps.lo; t < ps.hi; t += 8) {
      const int64_t n = std::min<int64_t>(8, ps.hi - t);
      const int64_t c = p.sw * t - ps.first;
      const __m256i a = p.sw == 1 ? load_n(x1 != nullptr ? x1 + c : nullptr, n) : evens_n(x1 != nullptr ? x1 + c : nullptr, n);
      const __m256i b = p.sw == 1 ? load_n(x2 != nullptr ? x2 + c : nullptr, n) : evens_n(x2 != nullptr ? x2 + c : nullptr, n);
      // Lanes past n are zero, i.e. what the padding lanes after the span
      // hold: a full store is right while it stays in the row (masked
      // stores are slow on some CPUs, e.g. AMD EPYC).
      if (t + 8 <= t_count)
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + t), pair_lanes(a, b));
      else
        _mm256_maskstore_epi32(dst + t, first_lanes(n), pair_lanes(a, b));
    }
    return;
  }
  for (int64_t t = ps.lo; t < ps.hi; ++t) {
    const int64_t c = p.sw * t - ps.first;
    dst[t] = pair16(x1 != nullptr ? x1[c] : 0, x2 != nullptr ? x2[c] : 0);
  }
}

// Buffer rows [i0, i1) of one input plane (row i at (i - i0) sw t): the
// image lanes of the rows some tap reads (zeros for a row of padding only).
// The padding lanes are not written: the caller zeroed the buffer before
// its first band, and they are zero in every row of every band.
void build_band(const int32_t* xplane, const ConvProblem& p, const Geometry& g, const Reads& rd, int64_t i0,
                int64_t i1, int32_t* buf) {
  for (int64_t i = i0; i < i1; ++i) {
    if (rd.rows[static_cast<size_t>(i)] == 0) continue;
    const int64_t r1 = i - p.ph, r2 = i + p.dh - p.ph;
    const int32_t* x1 = r1 >= 0 && r1 < p.h ? xplane + r1 * p.w : nullptr;
    const int32_t* x2 = r2 >= 0 && r2 < p.h ? xplane + r2 * p.w : nullptr;
    for (int64_t f = 0; f < p.sw; ++f) {
      const PhaseSpan& ps = rd.phases[static_cast<size_t>(f)];
      int32_t* dst = buf + ((i - i0) * p.sw + f) * g.t;
      if (!ps.read) continue;
      if (x1 == nullptr && x2 == nullptr)
        std::fill(dst + ps.lo, dst + ps.hi, 0);
      else
        build_phase_row(x1, x2, p, ps, g.t, dst);
    }
  }
}

// ---- layouts ----
//
// Row pairs (any stride and dilation; fast/conv2d_depthwise.h): a lane
// holds one column of padded rows i and i + dh, rows split into sw column
// phases of t lanes; tap (kernel row pair up, column v) reads row 2 up dh,
// phase (v dw) % sw, lanes from (v dw) / sw on.
//
// Column pairs (sw = 2, dw = 1: MobileNet's stride-2 layers): a lane holds
// padded columns 2 l and 2 l + 1 of one padded row, i.e. the row is stored
// as int16 values, so output q's columns 2 q + 2 h and 2 q + 2 h + 1 are
// lane q + h: tap (kernel row u, column pair h) reads row u dh from lane h
// on, with weights (w[u, 2 h], w[u, 2 h + 1] or 0). The build is one int32
// -> int16 pack per 16 columns instead of a de-interleave per phase.
struct Layout {
  bool column_pairs = false;
  int64_t row_lanes = 0;  // lanes per buffer row
  int64_t halo = 0;       // buffer rows one output row reads
  int64_t taps = 0;
  std::vector<char> rows;  // column pairs: which padded rows some tap reads
  std::vector<int64_t> tap_off;
  std::vector<int32_t> wpairs;  // [o][tap]
};

// The layouts of one input channel; wpairs has the weights of every (output,
// input channel of its group) pair, [o][ic][tap] (w is OIHW with I = icg).
Layout row_pair_layout(const ConvProblem& p, const Geometry& g, const int32_t* w, int64_t icg) {
  Layout l;
  l.row_lanes = p.sw * g.t;
  l.halo = 2 * (g.row_pairs - 1) * p.dh + 1;
  l.taps = g.row_pairs * p.kw;
  for (int64_t up = 0; up < g.row_pairs; ++up)
    for (int64_t v = 0; v < p.kw; ++v)
      l.tap_off.push_back((2 * up * p.dh * p.sw + v * p.dw % p.sw) * g.t + v * p.dw / p.sw);
  l.wpairs = pack_weight_pairs(w, p.o * icg, p.kh, p.kw);
  return l;
}

Layout column_pair_layout(const ConvProblem& p, const Geometry& g, const int32_t* w, int64_t icg) {
  Layout l;
  l.column_pairs = true;
  const int64_t col_pairs = ceil_div(p.kw, 2);
  l.row_lanes = g.owv + col_pairs - 1;
  l.halo = (p.kh - 1) * p.dh + 1;
  l.taps = p.kh * col_pairs;
  l.rows.assign(static_cast<size_t>((p.oh - 1) * p.sh + l.halo), 0);
  for (int64_t r = 0; r < p.oh; ++r)
    for (int64_t u = 0; u < p.kh; ++u) l.rows[static_cast<size_t>(r * p.sh + u * p.dh)] = 1;
  for (int64_t u = 0; u < p.kh; ++u)
    for (int64_t h = 0; h < col_pairs; ++h) l.tap_off.push_back(u * p.dh * l.row_lanes + h);
  for (int64_t o = 0; o < p.o * icg; ++o)  // (output, input channel) pairs
    for (int64_t u = 0; u < p.kh; ++u)
      for (int64_t h = 0; h < col_pairs; ++h) {
        const int32_t* wr = w + (o * p.kh + u) * p.kw;
        l.wpairs.push_back(pair16(wr[2 * h], 2 * h + 1 < p.kw ? wr[2 * h + 1] : 0));
      }
  return l;
}

// Buffer rows [i0, i1) of the column-pair layout (padded row i at (i - i0)
// row_lanes): the image columns of the rows some tap reads, as int16 at
// int16 index pw + c (zeros for a padding row). The padding columns are
// not written: the caller zeroed the buffer before its first band. The
// int16 values go through vector stores and memcpy (the buffer is int32).
void build_band_columns(const int32_t* xplane, const ConvProblem& p, const Layout& l, int64_t i0, int64_t i1,
                        int32_t* buf) {
  const int64_t slots = 2 * l.row_lanes;  // int16 values per row
  const int64_t c_end = std::clamp<int64_t>(slots - p.pw, 0, p.w);  // image columns that fit
  for (int64_t i = i0; i < i1; ++i) {
    if (l.rows[static_cast<size_t>(i)] == 0) continue;
    char* dst = reinterpret_cast<char*>(buf + (i - i0) * l.row_lanes) + 2 * p.pw;
    const int64_t xr = i - p.ph;
    if (xr < 0 || xr >= p.h) {
      std::memset(dst, 0, static_cast<size_t>(2 * c_end));
      continue;
    }
    const int32_t* x = xplane + xr * p.w;
    int64_t c = 0;
    for (; c + 16 <= c_end; c += 16) {
      // packs: a0-3 b0-3 | a4-7 b4-7 (exact: |x| <= 127), then in order.
      const __m256i v = _mm256_permute4x64_epi64(_mm256_packs_epi32(load8(x + c), load8(x + c + 8)), 0xD8);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 2 * c), v);
    }
    if (c < c_end && p.pw + c + 16 <= slots) {
      // The last columns by masked loads; the zeros past them land on
      // padding columns of this row, which are zero.
      const int64_t n = c_end - c;  // < 16
      const __m256i lo = load_n(x + c, n);
      const __m256i hi = n > 8 ? load_n(x + c + 8, n - 8) : _mm256_setzero_si256();
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 2 * c),
                          _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xD8));
      c = c_end;
    }
    for (; c < c_end; ++c) {
      const auto v = static_cast<int16_t>(x[c]);
      std::memcpy(dst + 2 * c, &v, sizeof v);
    }
  }
}

// ---- plane kernels ----

// What the kernel of one band of an output plane reads: the band's buffer,
// the taps' lane offsets (from an output row's first lane) and weight
// lanes, the buffer lanes between output rows, the band's size.
struct PlaneArgs {
  const int32_t* buf;
  const int64_t* tap_off;
  const int32_t* wpairs;
  int64_t taps;
  int64_t row_step;  // sh * lanes per buffer row
  int64_t oh, ow;    // output rows of the band, columns
  int32_t bias;
  const Epilogue* epilogue;
  int32_t* y;  // the band's first output row
};

// One vector of output columns: its first lane in the buffer (tap offsets
// are added to it), its first output and how many of its lanes are outputs.
struct VectorAt {
  const int32_t* src;
  int32_t* dst;
  int64_t count;
};

// Walks an output plane's vectors row by row (per_row vectors of `lanes`
// columns per output row, the last one cut at OW): the kernels take them
// four at a time across row ends, so narrow planes keep four independent
// accumulators too.
class VectorCursor {
 public:
  VectorCursor(const PlaneArgs& a, int64_t lanes, int64_t per_row) : a_(a), lanes_(lanes), per_row_(per_row) {}
  // The next vector, or `last` again past the plane's end (a kernel then
  // computes and stores that vector twice, the same values: four
  // accumulators without a separate tail loop).
  VectorAt next_or(const VectorAt& last) { return r_ < a_.oh ? next() : last; }
  VectorAt next() {
    const int64_t q = i_ * lanes_;
    const VectorAt v{a_.buf + r_ * a_.row_step + q, a_.y + r_ * a_.ow + q, std::min(lanes_, a_.ow - q)};
    if (++i_ == per_row_) {
      i_ = 0;
      ++r_;
    }
    return v;
  }

 private:
  const PlaneArgs& a_;
  int64_t lanes_, per_row_;
  int64_t r_ = 0, i_ = 0;
};

// Bias and epilogue steps (as the GEMM engine applies them; the biased sum
// fits int32 by conv2d_b1).
inline __m256i finish8(__m256i s, __m256i bias, const Epilogue& e) {
  return apply_epilogue8(_mm256_add_epi32(s, bias), e);
}

inline void store8(const VectorAt& v, __m256i x) {
  if (v.count == 8) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(v.dst), x);
  } else {
    alignas(32) int32_t tmp[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), x);
    std::memcpy(v.dst, tmp, sizeof(int32_t) * static_cast<size_t>(v.count));
  }
}

inline __m256i madd8(__m256i acc, const int32_t* s, __m256i w) {
  return _mm256_add_epi32(acc, _mm256_madd_epi16(load8(s), w));
}

// The kernels for kTaps taps, or any count for kTaps = 0 (the fixed counts
// of common kernels keep their weights and offsets in registers).
template <int kTaps>
void plane_avx2(const PlaneArgs& a) {
  constexpr bool fixed = kTaps > 0;
  const int64_t taps = fixed ? kTaps : a.taps;
  [[maybe_unused]] __m256i wv[fixed ? kTaps : 1];
  [[maybe_unused]] int64_t off[fixed ? kTaps : 1];
  if constexpr (fixed)
    for (int k = 0; k < kTaps; ++k) wv[k] = _mm256_set1_epi32(a.wpairs[k]), off[k] = a.tap_off[k];
  const __m256i bias = _mm256_set1_epi32(a.bias);
  const int64_t per_row = ceil_div(a.ow, 8);
  const int64_t count = a.oh * per_row;
  VectorCursor cur(a, 8, per_row);
  for (int64_t j = 0; j < count; j += 4) {
    const VectorAt v0 = cur.next(), v1 = cur.next_or(v0), v2 = cur.next_or(v1), v3 = cur.next_or(v2);
    __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0;
    for (int64_t k = 0; k < taps; ++k) {
      __m256i w;
      int64_t o;
      if constexpr (fixed) {
        w = wv[k], o = off[k];
      } else {
        w = _mm256_set1_epi32(a.wpairs[k]), o = a.tap_off[k];
      }
      c0 = madd8(c0, v0.src + o, w);
      c1 = madd8(c1, v1.src + o, w);
      c2 = madd8(c2, v2.src + o, w);
      c3 = madd8(c3, v3.src + o, w);
    }
    store8(v0, finish8(c0, bias, *a.epilogue));
    store8(v1, finish8(c1, bias, *a.epilogue));
    store8(v2, finish8(c2, bias, *a.epilogue));
    store8(v3, finish8(c3, bias, *a.epilogue));
  }
}

// AVX-512 VNNI: 16 columns per vector, vpdpwssd (the int16 pair products
// added to the int32 lane, wrapping like vpaddd; never reached here since
// every partial sum fits int32). Masked stores for the last vector.

CVM_TARGET_AVX512_VNNI inline __m512i finish16(__m512i s, __m512i bias, const Epilogue& e) {
  constexpr __mmask16 all = kAll16;
  s = _mm512_add_epi32(s, bias);
  const __m512i one = _mm512_set1_epi32(1);
  for (const EpilogueStep& st : e) {
    if (st.kind == EpilogueStep::Kind::kRightShift) {
      const __m512i t = _mm512_maskz_sra_epi32(all, s, _mm_cvtsi32_si128(st.shift_bit - 1));
      s = _mm512_add_epi32(_mm512_maskz_srai_epi32(all, t, 1), _mm512_and_si512(t, one));
    }
    s = _mm512_maskz_max_epi32(all, s, _mm512_set1_epi32(static_cast<int32_t>(st.lo)));
    s = _mm512_maskz_min_epi32(all, s, _mm512_set1_epi32(static_cast<int32_t>(st.hi)));
  }
  return s;
}

CVM_TARGET_AVX512_VNNI inline void store16(const VectorAt& v, __m512i x) {
  if (v.count == 16)
    _mm512_storeu_si512(v.dst, x);
  else
    _mm512_mask_storeu_epi32(v.dst, static_cast<__mmask16>((1u << v.count) - 1), x);
}

// acc += vpdpwssd(s[0..16), w). Inline asm, as in gemm_common_avx2.cc:
// GCC 12 copies every accumulator once per iteration around the intrinsic.
// The 16 lanes as a memory operand (int32 alignment: the loads are unaligned).
struct Lanes16 {
  int32_t v[16];
};
CVM_TARGET_AVX512_VNNI inline __m512i dp16(__m512i acc, const int32_t* s, __m512i w) {
  asm("vpdpwssd %2, %1, %0" : "+v"(acc) : "v"(w), "m"(*reinterpret_cast<const Lanes16*>(s)));
  return acc;
}

template <int kTaps>
CVM_TARGET_AVX512_VNNI void plane_avx512(const PlaneArgs& a) {
  constexpr bool fixed = kTaps > 0;
  const int64_t taps = fixed ? kTaps : a.taps;
  [[maybe_unused]] __m512i wv[fixed ? kTaps : 1];
  [[maybe_unused]] int64_t off[fixed ? kTaps : 1];
  if constexpr (fixed)
    for (int k = 0; k < kTaps; ++k) wv[k] = _mm512_set1_epi32(a.wpairs[k]), off[k] = a.tap_off[k];
  const __m512i bias = _mm512_set1_epi32(a.bias);
  const int64_t per_row = ceil_div(a.ow, 16);
  const int64_t count = a.oh * per_row;
  VectorCursor cur(a, 16, per_row);
  for (int64_t j = 0; j < count; j += 4) {
    const VectorAt v0 = cur.next(), v1 = cur.next_or(v0), v2 = cur.next_or(v1), v3 = cur.next_or(v2);
    __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0;
    for (int64_t k = 0; k < taps; ++k) {
      __m512i w;
      int64_t o;
      if constexpr (fixed) {
        w = wv[k], o = off[k];
      } else {
        w = _mm512_set1_epi32(a.wpairs[k]), o = a.tap_off[k];
      }
      c0 = dp16(c0, v0.src + o, w);
      c1 = dp16(c1, v1.src + o, w);
      c2 = dp16(c2, v2.src + o, w);
      c3 = dp16(c3, v3.src + o, w);
    }
    store16(v0, finish16(c0, bias, *a.epilogue));
    store16(v1, finish16(c1, bias, *a.epilogue));
    store16(v2, finish16(c2, bias, *a.epilogue));
    store16(v3, finish16(c3, bias, *a.epilogue));
  }
}

// The kernel for a tap count: 3 x 3 (6 taps: 2 row pairs x 3), 5 x 5 (15)
// and 1 x 1 fixed; 15 weights do not fit AVX2's 16 registers.
using PlaneKernel = void (*)(const PlaneArgs&);
PlaneKernel plane_kernel(int64_t taps, bool avx512) {
  if (avx512) {
    if (taps == 6) return &plane_avx512<6>;
    if (taps == 15) return &plane_avx512<15>;
    if (taps == 1) return &plane_avx512<1>;
    return &plane_avx512<0>;
  }
  if (taps == 6) return &plane_avx2<6>;
  if (taps == 1) return &plane_avx2<1>;
  return &plane_avx2<0>;
}

// The plane buffer of the calling thread, reused by later runs (pool
// threads persist): contents unspecified until the task zeroes it.
int32_t* plane_scratch(int64_t elements) {
  thread_local std::vector<int32_t> buffer;
  if (buffer.size() < static_cast<size_t>(elements)) buffer.resize(static_cast<size_t>(elements));
  return buffer.data();
}

}  // namespace

void conv2d_avx2(const ConvProblem& p, const int32_t* w, bool avx512, const Exec& exec) {
  const Geometry g = geometry(p);
  const int64_t icg = p.c / p.groups;  // input channels per group
  const int64_t opg = p.o / p.groups;  // output channels per group
  const Layout one = p.sw == 2 && p.dw == 1 ? column_pair_layout(p, g, w, icg) : row_pair_layout(p, g, w, icg);
  const Reads rd = reads(p, g);  // the row-pair layout's rows and phases
  const int64_t npix = p.oh * p.ow;
  // Output rows go in bands of R rows whose (R - 1) sh + halo buffer rows
  // (per input channel of the group) fit in kBandBytes: a bounded scratch
  // whatever the image size (a band rebuilds the halo - sh rows it shares
  // with the previous one).
  const int64_t fit_rows = kBandBytes / static_cast<int64_t>(sizeof(int32_t)) / one.row_lanes / icg;
  const int64_t band =
      std::clamp<int64_t>(fit_rows > one.halo ? (fit_rows - one.halo) / p.sh + 1 : 1, 1, std::max<int64_t>(1, p.oh));
  const int64_t band_elements = ((band - 1) * p.sh + one.halo) * one.row_lanes;
  // A group's input channels' bands lie band_elements apart: one output's
  // taps are the taps of each of its input channels, offset by that.
  const int64_t taps = icg * one.taps;
  std::vector<int64_t> tap_off(static_cast<size_t>(taps));
  for (int64_t ic = 0; ic < icg; ++ic)
    for (int64_t k = 0; k < one.taps; ++k)
      tap_off[static_cast<size_t>(ic * one.taps + k)] = ic * band_elements + one.tap_off[static_cast<size_t>(k)];
  // Output rows of at most 8 columns fill an AVX2 vector but under half of
  // an AVX-512 one.
  const PlaneKernel kernel = plane_kernel(taps, avx512 && p.ow > 8);
  const int64_t work = std::max<int64_t>(1, opg * p.oh * g.owv * taps + icg * g.plane);
  const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 16) / work);
  exec.parallel_for(p.n * p.groups, grain, [&](int64_t begin, int64_t end) {
    int32_t* buf = plane_scratch(icg * band_elements);
    std::fill(buf, buf + icg * band_elements, 0);  // padding lanes (see build_band*)
    for (int64_t task = begin; task < end; ++task) {
      const int64_t n = task / p.groups, grp = task % p.groups;
      for (int64_t r0 = 0; r0 < p.oh; r0 += band) {
        const int64_t r1 = std::min(p.oh, r0 + band);
        const int64_t i0 = r0 * p.sh, i1 = (r1 - 1) * p.sh + one.halo;
        for (int64_t ic = 0; ic < icg; ++ic) {
          const int32_t* xplane = p.x + (task * icg + ic) * p.h * p.w;
          int32_t* cbuf = buf + ic * band_elements;
          if (one.column_pairs)
            build_band_columns(xplane, p, one, i0, i1, cbuf);
          else
            build_band(xplane, p, g, rd, i0, i1, cbuf);
        }
        for (int64_t j = 0; j < opg; ++j) {
          const int64_t o = grp * opg + j;
          const PlaneArgs a{.buf = buf,
                            .tap_off = tap_off.data(),
                            .wpairs = one.wpairs.data() + o * taps,
                            .taps = taps,
                            .row_step = p.sh * one.row_lanes,
                            .oh = r1 - r0,
                            .ow = p.ow,
                            .bias = p.bias != nullptr ? p.bias[o] : 0,
                            .epilogue = p.epilogue,
                            .y = p.y + (n * p.o + o) * npix + r0 * p.ow};
          kernel(a);
        }
      }
    }
  });
}

}  // namespace cvm::fast::depthwise
