// take - AVX2 path of the axis-less gather (see fast/take.cc for the kernel).
//
// y[j] = x[clip(ind[j], 0, |x| - 1)]: 8 indices at a time are clamped with
// _mm256_max_epi32 / _mm256_min_epi32 (exact: ind is int32 and |x| - 1 < 2^30,
// so the int32 clamp equals the reference's int64 one) and gathered with
// _mm256_i32gather_epi32; take_b2 (the clamped position lies in [0, |x| - 1])
// makes every gathered address an element of x. take_b1: values are copied.
#include "fast/transform_common.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace cvm::fast::transform {

void take_flat_avx2(const int32_t* x, const int32_t* ind, int32_t* y, int64_t n, int32_t hi) {
  int64_t j = 0;
#if defined(__AVX2__)
  const __m256i zero = _mm256_setzero_si256();
  const __m256i top = _mm256_set1_epi32(hi);
  for (; j + 8 <= n; j += 8) {
    __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ind + j));
    c = _mm256_min_epi32(_mm256_max_epi32(c, zero), top);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + j), _mm256_i32gather_epi32(x, c, 4));
  }
#endif
  for (; j < n; ++j) {
    const int32_t v = ind[j];
    y[j] = x[v < 0 ? 0 : (v > hi ? hi : v)];
  }
}

}  // namespace cvm::fast::transform
