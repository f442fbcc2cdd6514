// The fused epilogue steps (cvm/epilogue.h) on 8 int32 lanes, for the AVX2
// kernels that finish their sums in registers (the GEMM's epilogue_row and
// the depthwise kernel). Include only from files compiled with -mavx2.
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "cvm/epilogue.h"

namespace cvm::fast {

/// Applies every step of `e` to the 8 biased sums in `s`.
inline __m256i apply_epilogue8(__m256i s, const Epilogue& e) {
  const __m256i one = _mm256_set1_epi32(1);
  for (const EpilogueStep& st : e) {
    if (st.kind == EpilogueStep::Kind::kRightShift) {
      // floor((floor(s / 2^(b-1)) + 1) / 2) = (t >> 1) + (t & 1), t = s >> (b-1):
      // no intermediate leaves int32 (cvm_right_shift_b2 allows t + 1 = 2^31).
      const __m256i t = _mm256_sra_epi32(s, _mm_cvtsi32_si128(st.shift_bit - 1));
      s = _mm256_add_epi32(_mm256_srai_epi32(t, 1), _mm256_and_si256(t, one));
    }
    s = _mm256_max_epi32(s, _mm256_set1_epi32(static_cast<int32_t>(st.lo)));
    s = _mm256_min_epi32(s, _mm256_set1_epi32(static_cast<int32_t>(st.hi)));
  }
  return s;
}

}  // namespace cvm::fast
