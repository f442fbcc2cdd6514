// The int8 micro-kernels on 512-bit AVX-512 VNNI vpdpbusd (built with
// -mavx512f -mavx512bw -mavx512vnni; reached only at the kAvx512Vnni
// level): the template of fast/gemm_i8_micro.h with zmm
// vectors, one per tile row, in runs of up to 4 panels (16 accumulators;
// with the B vector and a broadcast well inside the 32 zmm registers, and
// enough independent accumulators to hide vpdpbusd's latency).
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "fast/gemm_i8_micro.h"

namespace cvm::fast::gemm {
namespace {

// The 4 bytes at p, one k quad of a panel row.
struct Quad {
  uint8_t v[4];
};

struct V512 {
  using Vec = __m512i;
  static constexpr int kLanes = 16;
  // (The all-lanes zero-masking forms below: GCC 12 reports the plain ones'
  // undefined merge operand as maybe-uninitialized.)
  static constexpr __mmask16 kAll = 0xFFFF;
  static Vec zero() { return _mm512_setzero_si512(); }
  static Vec load(const void* p) { return _mm512_loadu_si512(p); }
  static void store(void* p, Vec v) { _mm512_storeu_si512(p, v); }
  static Vec set1(int32_t i) { return _mm512_set1_epi32(i); }
  static Vec add(Vec a, Vec b) { return _mm512_add_epi32(a, b); }
  static Vec bit_and(Vec a, Vec b) { return _mm512_and_si512(a, b); }
  static Vec sra(Vec v, int32_t n) { return _mm512_maskz_sra_epi32(kAll, v, _mm_cvtsi32_si128(n)); }
  static Vec srai1(Vec v) { return _mm512_maskz_srai_epi32(kAll, v, 1); }
  static Vec max(Vec a, Vec b) { return _mm512_maskz_max_epi32(kAll, a, b); }
  static Vec min(Vec a, Vec b) { return _mm512_maskz_min_epi32(kAll, a, b); }
  // The 16 lanes as bytes v + 128 (signed saturation, then the sign bit
  // flipped: exact for v in [-128, 127]).
  static void store_u8(uint8_t* p, Vec v) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm_xor_si128(_mm512_maskz_cvtsepi32_epi8(kAll, v), _mm_set1_epi8(-128)));
  }
  static Vec load_u8(const uint8_t* p) {
    return _mm512_sub_epi32(_mm512_maskz_cvtepu8_epi32(kAll, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p))),
                            _mm512_set1_epi32(128));
  }
  static Vec bcast(const uint8_t* p) {
    int32_t v;
    std::memcpy(&v, p, sizeof v);
    return _mm512_set1_epi32(v);
  }
  // Inline asm because GCC 12 register-allocates the intrinsic's
  // accumulator badly (it copied every accumulator once per iteration with
  // vpdpwssd).
  static Vec dp(Vec acc, Vec u, Vec s) {
    asm("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(u), "v"(s));
    return acc;
  }
  // The broadcast folded into the instruction's memory operand ({1to16}),
  // one uop fewer.
  static Vec dp_bcast_s(Vec acc, Vec u, const uint8_t* s) {
    asm("vpdpbusd %2%{1to16%}, %1, %0" : "+v"(acc) : "v"(u), "m"(*reinterpret_cast<const Quad*>(s)));
    return acc;
  }
};

}  // namespace

const I8Micro& i8_micro_avx512_vnni() {
  static const I8Micro m = make_i8_micro<V512, 4>();
  return m;
}

}  // namespace cvm::fast::gemm
