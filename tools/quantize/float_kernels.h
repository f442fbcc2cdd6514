// Fast float conv2d and dense for the quantizer's float executor
// (float_exec.cc): a packed, cache-blocked GEMM with a register-blocked
// micro-kernel (portable C++, or AVX2 chosen at run time), threaded over
// output tiles.
//
// The results are those of the plain loops they replace, bit for bit, on
// every ISA path and thread count: each output value starts at its bias and
// adds x * w in double, one term at a time, in the order (c, kh, kw) of the
// straight loop. A product of two floats is exact in double (24 + 24
// significand bits < 53), so a fused multiply-add and a multiply then an add
// round the same way: no FMA contraction, vector width or thread split can
// change a value. Threads split output tiles only, never a sum.
// (The only differences from skipping padded positions are a -0.0 bias
// staying -0.0 and a non-finite weight meeting padding: the kernels add the
// zero padding's 0 * w terms.)
#pragma once

#include <cstdint>

#include "fast/kernel.h"
#include "fast/thread_pool.h"

namespace cvm::quant {

/// Where the kernels run: a thread pool (nullptr: one thread) and the ISA
/// level of the micro-kernel (fast::Isa): kPortable, or from kAvx2 up the
/// AVX2 + FMA one when the CPU has both (there is no AVX-512 micro-kernel).
struct FloatKernelExec {
  fast::ThreadPool* pool = nullptr;
  fast::Isa isa = fast::Isa::kPortable;
};

/// A pool of std::thread::hardware_concurrency() threads and the CPU's level
/// (fast::cpu_isa()). The pool is shared by the process: a second caller
/// while it is busy runs on its own thread (the pool is not re-entrant).
class DefaultFloatExec {
 public:
  DefaultFloatExec();
  ~DefaultFloatExec();
  DefaultFloatExec(const DefaultFloatExec&) = delete;
  DefaultFloatExec& operator=(const DefaultFloatExec&) = delete;
  const FloatKernelExec& exec() const { return exec_; }

 private:
  FloatKernelExec exec_;
  bool owns_pool_ = false;
};

/// NCHW conv2d geometry (ONNX Conv with symmetric pads).
struct ConvGeometry {
  int64_t n = 1, c = 1, h = 1, w = 1;  ///< input (N, C, H, W)
  int64_t o = 1, kh = 1, kw = 1;       ///< weight (O, C / groups, KH, KW)
  int64_t groups = 1;
  int64_t stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0, dilation_h = 1, dilation_w = 1;
  int64_t oh = 1, ow = 1;  ///< output (N, O, OH, OW)
};

/// y = conv(x, w) + bias (bias may be nullptr). The caller checks the
/// geometry (float_output_shape); y holds N * O * OH * OW floats.
void conv2d_f32(const ConvGeometry& geo, const float* x, const float* w, const float* bias, float* y,
                const FloatKernelExec& exec);

/// y (N, M) = x (N, K) times w (M, K) transposed, + bias (M, may be nullptr).
void dense_f32(int64_t n, int64_t k, int64_t m, const float* x, const float* w, const float* bias, float* y,
               const FloatKernelExec& exec);

}  // namespace cvm::quant
