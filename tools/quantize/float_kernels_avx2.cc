// The AVX2 micro-kernel of the float GEMM (float_kernels_micro.h): 6 x 8
// double accumulators in 12 ymm registers, 2 loads of b and 6 broadcasts of
// a per k. Built with a function-level target, so this file needs no
// special flags; float_kernels.cc calls it only when the exec's level
// (FloatKernelExec::isa) reaches kAvx2 and the CPU reports FMA.
#include "tools/quantize/float_kernels_micro.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace cvm::quant::float_gemm {

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,fma"))) void micro_avx2(int64_t kc, const double* a, const double* b, double* c,
                                                    int64_t ldc) {
  static_assert(kMr == 6 && kNr == 8, "the register tile below is 6 x 8");
  // Twelve named accumulators, not an array: at -O2 GCC kept an array of
  // them in memory, a load and a store around every FMA.
  __m256d c00 = _mm256_loadu_pd(c), c01 = _mm256_loadu_pd(c + 4);
  __m256d c10 = _mm256_loadu_pd(c + ldc), c11 = _mm256_loadu_pd(c + ldc + 4);
  __m256d c20 = _mm256_loadu_pd(c + 2 * ldc), c21 = _mm256_loadu_pd(c + 2 * ldc + 4);
  __m256d c30 = _mm256_loadu_pd(c + 3 * ldc), c31 = _mm256_loadu_pd(c + 3 * ldc + 4);
  __m256d c40 = _mm256_loadu_pd(c + 4 * ldc), c41 = _mm256_loadu_pd(c + 4 * ldc + 4);
  __m256d c50 = _mm256_loadu_pd(c + 5 * ldc), c51 = _mm256_loadu_pd(c + 5 * ldc + 4);
  for (int64_t k = 0; k < kc; ++k, a += kMr, b += kNr) {
    const __m256d b0 = _mm256_loadu_pd(b), b1 = _mm256_loadu_pd(b + 4);
    // Each product of two floats is exact in double, so the fused
    // multiply-add rounds as a multiply then an add would.
    __m256d ai = _mm256_broadcast_sd(a);
    c00 = _mm256_fmadd_pd(ai, b0, c00), c01 = _mm256_fmadd_pd(ai, b1, c01);
    ai = _mm256_broadcast_sd(a + 1);
    c10 = _mm256_fmadd_pd(ai, b0, c10), c11 = _mm256_fmadd_pd(ai, b1, c11);
    ai = _mm256_broadcast_sd(a + 2);
    c20 = _mm256_fmadd_pd(ai, b0, c20), c21 = _mm256_fmadd_pd(ai, b1, c21);
    ai = _mm256_broadcast_sd(a + 3);
    c30 = _mm256_fmadd_pd(ai, b0, c30), c31 = _mm256_fmadd_pd(ai, b1, c31);
    ai = _mm256_broadcast_sd(a + 4);
    c40 = _mm256_fmadd_pd(ai, b0, c40), c41 = _mm256_fmadd_pd(ai, b1, c41);
    ai = _mm256_broadcast_sd(a + 5);
    c50 = _mm256_fmadd_pd(ai, b0, c50), c51 = _mm256_fmadd_pd(ai, b1, c51);
  }
  _mm256_storeu_pd(c, c00), _mm256_storeu_pd(c + 4, c01);
  _mm256_storeu_pd(c + ldc, c10), _mm256_storeu_pd(c + ldc + 4, c11);
  _mm256_storeu_pd(c + 2 * ldc, c20), _mm256_storeu_pd(c + 2 * ldc + 4, c21);
  _mm256_storeu_pd(c + 3 * ldc, c30), _mm256_storeu_pd(c + 3 * ldc + 4, c31);
  _mm256_storeu_pd(c + 4 * ldc, c40), _mm256_storeu_pd(c + 4 * ldc + 4, c41);
  _mm256_storeu_pd(c + 5 * ldc, c50), _mm256_storeu_pd(c + 5 * ldc + 4, c51);
}
#else
void micro_avx2(int64_t kc, const double* a, const double* b, double* c, int64_t ldc) {
  micro_portable(kc, a, b, c, ldc);
}
#endif

}  // namespace cvm::quant::float_gemm
