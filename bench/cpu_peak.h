// The CPU's integer multiply-add peak as the fast GEMM kernels can reach it,
// measured in the calling process: a register-only loop of the micro-kernel's
// instruction (AVX2: vpmaddwd + vpaddd on ymm, 16 MACs each; AVX-VNNI: the
// int8 vpdpbusd on ymm, 32 MACs each; AVX-512 VNNI: the int8 vpdpbusd on
// zmm, 64 MACs each) with as many independent accumulators as the
// micro-kernel, on `threads` threads at once. Benchmarks divide their GMAC/s by
// it, so the fraction of peak is a ratio measured in one run.
#pragma once

#include "fast/kernel.h"

namespace cvm::bench {

/// Multiply-adds per second of `isa`'s GEMM instruction on `threads`
/// threads; 0 for the portable level or one the CPU lacks. Cached per
/// (isa, threads) for the life of the process.
double cpu_peak_macs(fast::Isa isa, int threads);

}  // namespace cvm::bench
