// The int8 micro-kernels on 256-bit AVX-VNNI vpdpbusd (built with -mavx2
// -mfma -mavxvnni; reached only at the kAvxVnni level, for CPUs such as
// Alder Lake that have AVX-VNNI but not AVX-512): the template of
// fast/gemm_i8_micro.h with ymm vectors, two per 16-column tile row.
//
// AVX-VNNI is VEX-encoded, so only ymm0-15 exist: one panel (4 rows x 2
// vectors = 8 accumulators) plus the two B vectors and a broadcast fit; two
// panels (16 accumulators) would spill. The arithmetic is the 512-bit
// kernel's lane for lane (same u = x + 128 and weight layouts, same
// wrapping int32 sums, same finish), so it is exact by the same argument
// (fast/gemm_common_avx2.cc).
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "fast/gemm_i8_micro.h"

namespace cvm::fast::gemm {
namespace {

struct V256 {
  using Vec = __m256i;
  static constexpr int kLanes = 8;
  static Vec zero() { return _mm256_setzero_si256(); }
  static Vec load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
  static void store(void* p, Vec v) { _mm256_storeu_si256(static_cast<__m256i*>(p), v); }
  static Vec set1(int32_t i) { return _mm256_set1_epi32(i); }
  static Vec add(Vec a, Vec b) { return _mm256_add_epi32(a, b); }
  static Vec bit_and(Vec a, Vec b) { return _mm256_and_si256(a, b); }
  static Vec sra(Vec v, int32_t n) { return _mm256_sra_epi32(v, _mm_cvtsi32_si128(n)); }
  static Vec srai1(Vec v) { return _mm256_srai_epi32(v, 1); }
  static Vec max(Vec a, Vec b) { return _mm256_max_epi32(a, b); }
  static Vec min(Vec a, Vec b) { return _mm256_min_epi32(a, b); }
  // The 8 lanes as bytes v + 128 (signed saturation, then the sign bit
  // flipped: exact for v in [-128, 127]).
  static void store_u8(uint8_t* p, Vec v) {
    const __m128i w16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm_xor_si128(_mm_packs_epi16(w16, w16), _mm_set1_epi8(-128)));
  }
  static Vec load_u8(const uint8_t* p) {
    return _mm256_sub_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))),
                            _mm256_set1_epi32(128));
  }
  static Vec bcast(const uint8_t* p) {
    int32_t v;
    std::memcpy(&v, p, sizeof v);
    return _mm256_set1_epi32(v);
  }
  // The VEX vpdpbusd (not the EVEX one of AVX512-VL, which the CPUs this
  // level is for lack).
  static Vec dp(Vec acc, Vec u, Vec s) { return _mm256_dpbusd_avx_epi32(acc, u, s); }
  // No embedded broadcast in VEX: a vpbroadcastd load.
  static Vec dp_bcast_s(Vec acc, Vec u, const uint8_t* s) { return dp(acc, u, bcast(s)); }
};

}  // namespace

const I8Micro& i8_micro_avx_vnni() {
  static const I8Micro m = make_i8_micro<V256, 1>();
  return m;
}

}  // namespace cvm::fast::gemm
