// The int8 micro-kernels of the GEMM engine (fast/gemm_common_avx2.cc), one
// set per instruction-set level: AVX-VNNI (256-bit vpdpbusd,
// fast/gemm_i8_avxvnni.cc) and AVX-512 VNNI (512-bit,
// fast/gemm_i8_avx512vnni.cc). Both are the one template of
// fast/gemm_i8_micro.h, each file built with its level's compiler flags, so
// no instruction of a level is reached from a lower level's code. This
// header has only plain types: the engine, built for AVX2, includes it.
#pragma once

#include <cstdint>

#include "fast/gemm_common.h"

namespace cvm::fast::gemm {

/// The end of an output's int8 sum after its last K block, applied to the
/// accumulators before the one store (no second pass over y): add row_add[r]
/// + col_add[n] (the corrections and the bias, each pre-summed modulo 2^32;
/// see gemm_common_avx2.cc: the wrapped total is the exact biased sum) and
/// run the epilogue steps, the same map as the int16 path's. Plain integers,
/// so that it passes between files built for different levels.
struct I8Finish {
  struct Step {
    int32_t shift;  // shift_bit - 1 for a kRightShift step, else -1
    int32_t lo, hi;
  };
  Step steps[Epilogue::kMaxSteps];
  int count = 0;
  /// Epilogue::residual_at: where >= 0, the element of `residual` at the
  /// output's index (row stride: the y the micro-kernel writes) is added
  /// after that many steps. residual is set per call, like row_add.
  int residual_at = -1;
  const int32_t* residual = nullptr;
  /// Or the residual as bytes u = r + 128, in the same layout (the int8
  /// hand-off); at most one of residual and residual8 is set.
  const uint8_t* residual8 = nullptr;
  int32_t row_add[4 * kMR];
  alignas(64) int32_t col_add[kNR];
  /// Where set (per call, like row_add), the finished values go there as
  /// bytes v + 128 (row stride ldy, the same as y's) instead of as int32
  /// into y: the int8 hand-off to the next convolution
  /// (ConvProblem::y8). The caller guarantees |v| <= 127 (the output's
  /// precision is at most 8); y then only holds the partial sums of earlier
  /// K blocks.
  uint8_t* out8 = nullptr;
};

/// One level's micro-kernels. run[P - 1][b] computes P consecutive panels
/// (P kMR rows of A, a_panel_stride bytes apart) times one tile of B over kc
/// k quads into y (row stride ldy; rows x cols valid, at most P kMR x kNR),
/// storing, or adding to y when accumulate, and finishing with fin when it
/// is not nullptr. b = 1: B is the unsigned operand u = x + 128 and A the
/// signed weights (conv2d); b = 0: A is unsigned and B signed (dense).
/// Entries exist for P = 1 .. max_panels (the most whose accumulators fit
/// the level's registers).
struct I8Micro {
  using Fn = void (*)(const uint8_t* a, int64_t a_panel_stride, const uint8_t* b, int64_t kc, int32_t* y,
                      int64_t ldy, int64_t rows, int64_t cols, bool accumulate, const I8Finish* fin);
  int max_panels = 0;
  Fn run[4][2] = {};
};

/// The 256-bit AVX-VNNI kernels: call only at a level where
/// use_avx_vnni(level) and not use_avx512_vnni(level).
const I8Micro& i8_micro_avx_vnni();
/// The 512-bit AVX-512 VNNI kernels: call only where use_avx512_vnni(level).
const I8Micro& i8_micro_avx512_vnni();

}  // namespace cvm::fast::gemm
