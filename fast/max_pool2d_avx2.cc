// max_pool2d - AVX2 row primitives (see fast/max_pool2d_rows.h and the kernel
// in fast/max_pool2d.cc). Maxima of int32 values: exact in any order.
#include "fast/max_pool2d_rows.h"

#include <algorithm>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace cvm::fast::pool {

void max_into_avx2(int32_t* dst, const int32_t* src, int64_t n) {
  int64_t i = 0;
#if defined(__AVX2__)
  for (; i + 8 <= n; i += 8) {
    auto* d = reinterpret_cast<__m256i*>(dst + i);
    _mm256_storeu_si256(
        d, _mm256_max_epi32(_mm256_loadu_si256(d), _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i))));
  }
#endif
  for (; i < n; ++i) dst[i] = std::max(dst[i], src[i]);
}

void window_max_stride2_avx2(const int32_t* b, int64_t ow, int64_t kw, int32_t* o) {
  int64_t w = 0;
#if defined(__AVX2__)
  // The even elements of 16 consecutive ones, in order: each vector's evens
  // gathered into its low half, then the two low halves joined.
  const __m256i even_first = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  auto evens = [&](const int32_t* p) {
    const __m256i lo = _mm256_permutevar8x32_epi32(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), even_first);
    const __m256i hi = _mm256_permutevar8x32_epi32(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 8)), even_first);
    return _mm256_permute2x128_si256(lo, hi, 0x20);
  };
  for (; w + 8 <= ow; w += 8) {
    const int32_t* p = b + 2 * w;
    __m256i m = evens(p);
    for (int64_t s = 1; s < kw; ++s) m = _mm256_max_epi32(m, evens(p + s));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + w), m);
  }
#endif
  for (; w < ow; ++w) {
    const int32_t* bw = b + 2 * w;
    int32_t m = bw[0];
    for (int64_t s = 1; s < kw; ++s) m = std::max(m, bw[s]);
    o[w] = m;
  }
}

void max_into_avx2(uint8_t* dst, const uint8_t* src, int64_t n) {
  int64_t i = 0;
#if defined(__AVX2__)
  for (; i + 32 <= n; i += 32) {
    auto* d = reinterpret_cast<__m256i*>(dst + i);
    _mm256_storeu_si256(
        d, _mm256_max_epu8(_mm256_loadu_si256(d), _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i))));
  }
#endif
  for (; i < n; ++i) dst[i] = std::max(dst[i], src[i]);
}

void window_max_stride2_avx2(const uint8_t* b, int64_t ow, int64_t kw, uint8_t* o) {
  int64_t w = 0;
#if defined(__AVX2__)
  // The even bytes of 32 consecutive ones, in order: each 16-byte half's
  // evens shuffled to its low 8 bytes, then the two joined.
  const __m128i even_first = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
  auto evens = [&](const uint8_t* p) {
    const __m128i lo = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), even_first);
    const __m128i hi = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)), even_first);
    return _mm_unpacklo_epi64(lo, hi);
  };
  for (; w + 16 <= ow; w += 16) {
    const uint8_t* p = b + 2 * w;
    __m128i m = evens(p);
    for (int64_t s = 1; s < kw; ++s) m = _mm_max_epu8(m, evens(p + s));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o + w), m);
  }
#endif
  for (; w < ow; ++w) {
    const uint8_t* bw = b + 2 * w;
    uint8_t m = bw[0];
    for (int64_t s = 1; s < kw; ++s) m = std::max(m, bw[s]);
    o[w] = m;
  }
}

}  // namespace cvm::fast::pool
