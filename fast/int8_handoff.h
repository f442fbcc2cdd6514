// The int8 hand-off between convolutions (runtime/int8_handoff.h decides
// where): a conv2d kernel made with KernelOptions::y_as_bytes stores its
// output as bytes u = v + 128, one per value in NCHW order, at the start of
// the output tensor's storage; one made with x_as_bytes reads its x so, one
// made with residual_as_bytes the residual its epilogue adds. The
// tensor's int32 view is then meaningless, which is why only values with no
// other reader are handed over. On the int8 GEMM path the bytes are what
// that path reads and writes anyway (gemm::ConvProblem::x8, y8); on any
// other path (a run at another level, in tests) the kernel converts, so
// the result never depends on the path.
#pragma once

#include <cstdint>

#include "cvm/tensor.h"
#include "fast/kernel.h"

namespace cvm::fast {

/// Whether the fast conv2d kernel of `spec`, made and run with `options`, takes the
/// int8 GEMM path (not the depthwise kernel, the int16 or the portable
/// path). Defined with the kernel (fast/conv2d.cc).
bool conv2d_on_int8_gemm(const NodeSpec& spec, const KernelOptions& options);

/// The bytes of a handed-over value (in t's int32 storage, which holds at
/// least one byte per value).
inline const uint8_t* handoff_bytes(const Tensor& t) { return reinterpret_cast<const uint8_t*>(t.data.data()); }
inline uint8_t* handoff_bytes(Tensor& t) { return reinterpret_cast<uint8_t*>(t.data.data()); }

/// v = u - 128 for n bytes (the other paths' input).
inline void bytes_to_values(const uint8_t* u, int64_t n, int32_t* v) {
  for (int64_t i = 0; i < n; ++i) v[i] = int32_t{u[i]} - 128;
}
/// u = v + 128 for n values with |v| <= 127 (the other paths' output).
inline void values_to_bytes(const int32_t* v, int64_t n, uint8_t* u) {
  for (int64_t i = 0; i < n; ++i) u[i] = static_cast<uint8_t>(v[i] + 128);
}

}  // namespace cvm::fast
