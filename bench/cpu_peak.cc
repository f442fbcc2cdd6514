#include "cpu_peak.h"

#include <immintrin.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <thread>
#include <utility>
#include <vector>

namespace cvm::bench {
namespace {

constexpr int64_t kIterations = 20'000'000;

// 8 ymm accumulators; the operands are kept opaque to the optimiser by the
// empty asm so the loop is not folded. Returns the MACs done.
__attribute__((target("avx2"))) int64_t avx2_loop() {
  __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  __m256i a = _mm256_set1_epi32(0x00030002), b = _mm256_set1_epi32(0x00010001);
  for (int64_t k = 0; k < kIterations; ++k) {
    asm volatile("" : "+v"(a), "+v"(b));
    c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(a, b));
    c1 = _mm256_add_epi32(c1, _mm256_madd_epi16(a, b));
    c2 = _mm256_add_epi32(c2, _mm256_madd_epi16(a, b));
    c3 = _mm256_add_epi32(c3, _mm256_madd_epi16(a, b));
    c4 = _mm256_add_epi32(c4, _mm256_madd_epi16(a, b));
    c5 = _mm256_add_epi32(c5, _mm256_madd_epi16(a, b));
    c6 = _mm256_add_epi32(c6, _mm256_madd_epi16(a, b));
    c7 = _mm256_add_epi32(c7, _mm256_madd_epi16(a, b));
  }
  asm volatile("" ::"v"(c0), "v"(c1), "v"(c2), "v"(c3), "v"(c4), "v"(c5), "v"(c6), "v"(c7));
  return kIterations * 8 * 16;
}

// M(c) for the accumulators c0 .. c7 of the vpdpbusd loops below.
#define CVM_ON_C0_TO_C7(M) \
  M(c0);                   \
  M(c1);                   \
  M(c2);                   \
  M(c3);                   \
  M(c4);                   \
  M(c5);                   \
  M(c6);                   \
  M(c7)

// 8 ymm accumulators of the VEX (AVX-VNNI) vpdpbusd (32 int8 MACs each), as
// the 256-bit micro-kernel (fast/gemm_i8_avxvnni.cc); "x": ymm0-15, the
// only registers VEX encodes.
#define CVM_DPBUSD_VEX(c) asm("%{vex%} vpdpbusd %2, %1, %0" : "+x"(c) : "x"(a), "x"(b))
__attribute__((target("avx2,avxvnni"))) int64_t avx_vnni_loop() {
  __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  __m256i a = _mm256_set1_epi32(0x00030002), b = _mm256_set1_epi32(0x00010001);
  for (int64_t k = 0; k < kIterations; ++k) {
    asm volatile("" : "+x"(a), "+x"(b));
    CVM_ON_C0_TO_C7(CVM_DPBUSD_VEX);
  }
  asm volatile("" ::"x"(c0), "x"(c1), "x"(c2), "x"(c3), "x"(c4), "x"(c5), "x"(c6), "x"(c7));
  return kIterations * 8 * 32;
}
#undef CVM_DPBUSD_VEX

#define CVM_DPBUSD(c) asm("vpdpbusd %2, %1, %0" : "+v"(c) : "v"(a), "v"(b))
// 12 zmm accumulators of vpdpbusd (64 int8 MACs each), as the 512-bit
// micro-kernel's runs of 3 panels (fast/gemm_i8_avx512vnni.cc).
__attribute__((target("avx512f,avx512bw,avx512vnni"))) int64_t vnni_loop() {
  __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0,
          c8 = c0, c9 = c0, c10 = c0, c11 = c0;
  __m512i a = _mm512_set1_epi32(0x00030002), b = _mm512_set1_epi32(0x00010001);
  for (int64_t k = 0; k < kIterations; ++k) {
    asm volatile("" : "+v"(a), "+v"(b));
    CVM_ON_C0_TO_C7(CVM_DPBUSD);
    CVM_DPBUSD(c8);
    CVM_DPBUSD(c9);
    CVM_DPBUSD(c10);
    CVM_DPBUSD(c11);
  }
  asm volatile("" ::"v"(c0), "v"(c1), "v"(c2), "v"(c3), "v"(c4), "v"(c5), "v"(c6), "v"(c7),
               "v"(c8), "v"(c9), "v"(c10), "v"(c11));
  return kIterations * 12 * 64;
}
#undef CVM_DPBUSD
#undef CVM_ON_C0_TO_C7

double measure(fast::Isa isa, int threads) {
  int64_t (*loop)() = isa == fast::Isa::kAvx512Vnni ? &vnni_loop
                      : isa == fast::Isa::kAvxVnni  ? &avx_vnni_loop
                                                    : &avx2_loop;
  loop();  // warm-up: clocks up, code in cache
  std::vector<std::thread> pool;
  std::vector<int64_t> macs(static_cast<size_t>(threads), 0);
  const auto t0 = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) pool.emplace_back([&, t] { macs[static_cast<size_t>(t)] = loop(); });
  for (std::thread& t : pool) t.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int64_t total = 0;
  for (int64_t m : macs) total += m;
  return static_cast<double>(total) / s;
}

}  // namespace

double cpu_peak_macs(fast::Isa isa, int threads) {
  if (isa == fast::Isa::kPortable || !fast::cpu_has(isa) || threads < 1) return 0;
  static std::map<std::pair<fast::Isa, int>, double> cache;
  auto [it, inserted] = cache.try_emplace({isa, threads}, 0.0);
  if (inserted) it->second = measure(isa, threads);
  return it->second;
}

}  // namespace cvm::bench
