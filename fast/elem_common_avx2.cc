// The "elem" group's chunk functions compiled with -mavx2 (see
// fast/elem_common.h): the same int32 loops, auto-vectorised 8 lanes wide
// (vpmulld, vpsrlvd, vpblendvb, ...), plus explicit intrinsics where the
// compiler does not vectorise: cvm_lut's table lookup (vpgatherdd).
// Same arithmetic and the same Bounds labels as the portable loops; the
// per-op files cite them.
#include "fast/elem_common.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace cvm::fast::elem_avx2 {

void unary_chunk(ElemUnary op, const ElemUnaryParams& p, const int32_t* x, int32_t* y, int64_t n) {
  ::cvm::fast::unary_chunk(op, p, x, y, n);
}

void binary_chunk(ElemBinary op, const int32_t* a, int64_t sa, const int32_t* b, int64_t sb, int32_t* y,
                  int64_t n) {
  ::cvm::fast::binary_chunk(op, a, sa, b, sb, y, n);
}

void lut_chunk(const int32_t* idx, const int32_t* table, int32_t last, int32_t* y, int64_t n) {
#if defined(__AVX2__)
  // cvm_lut_b2: the clamped index lies in [0, last], so every gathered
  // address is inside the table.
  const __m256i zero = _mm256_setzero_si256();
  const __m256i hi = _mm256_set1_epi32(last);
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(idx + j));
    v = _mm256_min_epi32(_mm256_max_epi32(v, zero), hi);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y + j), _mm256_i32gather_epi32(table, v, 4));
  }
  ::cvm::fast::lut_chunk(idx + j, table, last, y + j, n - j);
#else
  ::cvm::fast::lut_chunk(idx, table, last, y, n);
#endif
}

void where_chunk(const int32_t* c, const int32_t* x, const int32_t* y, int32_t* z, int64_t n) {
  ::cvm::fast::where_chunk(c, x, y, z, n);
}

}  // namespace cvm::fast::elem_avx2
