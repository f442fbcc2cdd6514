// The GEMM micro-kernels of float_kernels.cc (internal): one kMr x kNr tile
// of double accumulators, c[i * ldc + j] += sum over k of a[k * kMr + i] *
// b[k * kNr + j], k ascending. Every version adds the terms one at a time
// in that order, so all return the same bits (float_kernels.h says why a
// fused multiply-add changes nothing here).
#pragma once

#include <cstdint>

namespace cvm::quant::float_gemm {

inline constexpr int64_t kMr = 6;  // rows (output channels) per tile
inline constexpr int64_t kNr = 8;  // columns (output pixels) per tile

using MicroKernel = void (*)(int64_t kc, const double* a, const double* b, double* c, int64_t ldc);

void micro_portable(int64_t kc, const double* a, const double* b, double* c, int64_t ldc);
/// AVX2 + FMA (function-level target): call only where the CPU has both.
void micro_avx2(int64_t kc, const double* a, const double* b, double* c, int64_t ldc);

}  // namespace cvm::quant::float_gemm
