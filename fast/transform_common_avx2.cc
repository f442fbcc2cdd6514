// AVX2 helpers of the transform group (declared in fast/transform_common.h).
//
// transpose_tile_avx2: one tile of the blocked transpose,
// d[kk * ds + ll] = s[kk + ll * ss]. Full 8 x 8 sub-blocks load 8 source rows
// of 8 contiguous int32 values, transpose them in registers with integer
// unpack / permute2x128 lane moves (no arithmetic: values are moved bit for
// bit) and store 8 contiguous output rows; partial sub-blocks at the tile's
// edges use the portable scalar loop. Every address is inside the tile, which
// the caller keeps inside x and y.
#include "fast/transform_common.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace cvm::fast::transform {

#if defined(__AVX2__)
namespace {

inline __m256i load8(const int32_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
inline void store8(int32_t* p, __m256i v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }

// d row j (j < 8) = column j of the 8 x 8 block whose row i is s + i * ss.
inline void transpose8x8(const int32_t* s, int64_t ss, int32_t* d, int64_t ds) {
  const __m256i r0 = load8(s), r1 = load8(s + ss), r2 = load8(s + 2 * ss), r3 = load8(s + 3 * ss);
  const __m256i r4 = load8(s + 4 * ss), r5 = load8(s + 5 * ss), r6 = load8(s + 6 * ss),
                r7 = load8(s + 7 * ss);
  const __m256i t0 = _mm256_unpacklo_epi32(r0, r1), t1 = _mm256_unpackhi_epi32(r0, r1);
  const __m256i t2 = _mm256_unpacklo_epi32(r2, r3), t3 = _mm256_unpackhi_epi32(r2, r3);
  const __m256i t4 = _mm256_unpacklo_epi32(r4, r5), t5 = _mm256_unpackhi_epi32(r4, r5);
  const __m256i t6 = _mm256_unpacklo_epi32(r6, r7), t7 = _mm256_unpackhi_epi32(r6, r7);
  const __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
  const __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
  const __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
  const __m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
  store8(d, _mm256_permute2x128_si256(u0, u4, 0x20));
  store8(d + ds, _mm256_permute2x128_si256(u1, u5, 0x20));
  store8(d + 2 * ds, _mm256_permute2x128_si256(u2, u6, 0x20));
  store8(d + 3 * ds, _mm256_permute2x128_si256(u3, u7, 0x20));
  store8(d + 4 * ds, _mm256_permute2x128_si256(u0, u4, 0x31));
  store8(d + 5 * ds, _mm256_permute2x128_si256(u1, u5, 0x31));
  store8(d + 6 * ds, _mm256_permute2x128_si256(u2, u6, 0x31));
  store8(d + 7 * ds, _mm256_permute2x128_si256(u3, u7, 0x31));
}

}  // namespace
#endif

void transpose_tile_avx2(const int32_t* s, int64_t ss, int32_t* d, int64_t ds, int64_t nk,
                         int64_t nl) {
#if defined(__AVX2__)
  for (int64_t k0 = 0; k0 < nk; k0 += 8) {
    for (int64_t l0 = 0; l0 < nl; l0 += 8) {
      if (k0 + 8 <= nk && l0 + 8 <= nl) {
        // Source rows are l (stride ss), contiguous along k.
        transpose8x8(s + k0 + l0 * ss, ss, d + k0 * ds + l0, ds);
      } else {
        const int64_t k1 = std::min(nk, k0 + 8), l1 = std::min(nl, l0 + 8);
        for (int64_t kk = k0; kk < k1; ++kk)
          for (int64_t ll = l0; ll < l1; ++ll) d[kk * ds + ll] = s[kk + ll * ss];
      }
    }
  }
#else
  detail::transpose_tile(s, ss, d, ds, nk, nl);
#endif
}

}  // namespace cvm::fast::transform
