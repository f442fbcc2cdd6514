// Row primitives of the max_pool2d fast kernel (fast/max_pool2d.cc), AVX2
// versions in fast/max_pool2d_avx2.cc (called only when use_avx2(exec.isa)).
#pragma once

#include <cstdint>

namespace cvm::fast::pool {

/// dst[i] = max(dst[i], src[i]) for i < n.
void max_into_avx2(int32_t* dst, const int32_t* src, int64_t n);

/// o[w] = max(b[2 w], ..., b[2 w + kw - 1]) for w < ow (stride 2). May read
/// b[0, 2 ow + kw + kStride2Slack): the caller's buffer holds that many.
void window_max_stride2_avx2(const int32_t* b, int64_t ow, int64_t kw, int32_t* o);

/// Slack after the last window the stride-2 routine may read.
inline constexpr int64_t kStride2Slack = 16;

/// The same two for bytes (the int8 hand-off, fast/int8_handoff.h: the
/// bytes u = v + 128 order as the values do). The stride-2 one may read
/// b[0, 2 ow + kw + kStride2SlackBytes).
void max_into_avx2(uint8_t* dst, const uint8_t* src, int64_t n);
void window_max_stride2_avx2(const uint8_t* b, int64_t ow, int64_t kw, uint8_t* o);
inline constexpr int64_t kStride2SlackBytes = 32;

}  // namespace cvm::fast::pool
