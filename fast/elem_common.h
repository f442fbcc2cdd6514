// Shared helpers of the "elem" group: element-wise unary ops (abs, negative,
// relu, clip, cvm_clip, cvm_left_shift, cvm_right_shift, cvm_precision),
// cvm_lut, where, and the binary ops (elemwise_add/sub, broadcast_*).
//
// Structure:
//  - chunk functions (unary_chunk, binary_chunk, lut_chunk, where_chunk) run
//    one contiguous run of elements with a tight int32 loop that the compiler
//    vectorises. They live in an anonymous namespace because this header is
//    compiled twice: here, portable, and in fast/elem_common_avx2.cc with
//    -mavx2, which exports the AVX2 instantiations (namespace elem_avx2).
//    Internal linkage keeps the two compilations from being merged.
//  - drivers (run_unary, run_binary, ...) split the output over the pool
//    (static chunks of >= kElemGrain elements, each output element written
//    by exactly one chunk, so the result does not depend on the thread
//    count) and pick the AVX2 or portable chunk function via use_avx2(exec.isa).
//  - the broadcast driver right-aligns both input shapes on the output,
//    drops size-1 output dims, merges adjacent dims whose strides are
//    contiguous for BOTH inputs (stride[i] == stride[i+1] * d[i+1], which
//    also merges two broadcast (stride 0) dims), then walks the outer dims
//    with an odometer and runs the innermost dim as one contiguous (stride
//    1) or broadcast (stride 0) run: no per-element index arithmetic.
//
// Every value computed here is an int32 value proved to fit by the Bounds
// label cited in the op's fast/<op>.cc header; no intermediate needs more
// than 32 bits.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>

#include "cvm/intmath.h"
#include "cvm/shape.h"
#include "cvm/tensor.h"
#include "fast/kernel.h"

namespace cvm::fast {

/// The element-wise unary operations of the group.
enum class ElemUnary { kAbs, kNegative, kRelu, kClip, kLeftShift, kRightShift, kPrecision };

/// Parameters of a unary operation: the clip interval [lo, hi] (clip,
/// cvm_clip, the shifts) and the shift amount.
struct ElemUnaryParams {
  int32_t lo = 0;
  int32_t hi = 0;
  int shift = 0;
};

/// The binary operations of the group.
enum class ElemBinary { kAdd, kSub, kMul, kDiv, kMax, kGreater };

// Chunk function types (portable and AVX2 share them).
using ElemUnaryChunk = void (*)(ElemUnary, const ElemUnaryParams&, const int32_t*, int32_t*, int64_t);
using ElemBinaryChunk = void (*)(ElemBinary, const int32_t*, int64_t, const int32_t*, int64_t, int32_t*,
                                 int64_t);
using ElemLutChunk = void (*)(const int32_t*, const int32_t*, int32_t, int32_t*, int64_t);
using ElemWhereChunk = void (*)(const int32_t*, const int32_t*, const int32_t*, int32_t*, int64_t);

// The AVX2 instantiations (fast/elem_common_avx2.cc).
namespace elem_avx2 {
void unary_chunk(ElemUnary op, const ElemUnaryParams& p, const int32_t* x, int32_t* y, int64_t n);
void binary_chunk(ElemBinary op, const int32_t* a, int64_t sa, const int32_t* b, int64_t sb, int32_t* y,
                  int64_t n);
void lut_chunk(const int32_t* idx, const int32_t* table, int32_t last, int32_t* y, int64_t n);
void where_chunk(const int32_t* c, const int32_t* x, const int32_t* y, int32_t* z, int64_t n);
}  // namespace elem_avx2

namespace {  // NOLINT: internal linkage on purpose (see above)

/// Elements per parallel chunk at least (~16K elements of work).
constexpr int64_t kElemGrain = 16384;

// ---- scalar element functions (int32 only) --------------------------------

inline int32_t elem_clip(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

/// bits(|x|), or 1 for x = 0; x != INT32_MIN (no precision).
inline int32_t elem_precision(int32_t x) {
  // |x| as uint32 (x > INT32_MIN, so the magnitude is <= 2^31 - 1).
  uint32_t m = x < 0 ? 0u - static_cast<uint32_t>(x) : static_cast<uint32_t>(x);
  // Branch-free binary search of the top bit (vectorises with variable shifts).
  int32_t n = 0;
  uint32_t s = m > 0xFFFFu ? 16u : 0u;
  m >>= s;
  n += static_cast<int32_t>(s);
  s = m > 0xFFu ? 8u : 0u;
  m >>= s;
  n += static_cast<int32_t>(s);
  s = m > 0xFu ? 4u : 0u;
  m >>= s;
  n += static_cast<int32_t>(s);
  s = m > 0x3u ? 2u : 0u;
  m >>= s;
  n += static_cast<int32_t>(s);
  s = m > 0x1u ? 1u : 0u;
  m >>= s;
  n += static_cast<int32_t>(s);
  // m is now 0 (only for x = 0) or 1.
  return n + static_cast<int32_t>(m) + (x == 0 ? 1 : 0);
}

template <class F>
inline void elem_map(const int32_t* x, int32_t* y, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
}

inline void unary_chunk(ElemUnary op, const ElemUnaryParams& p, const int32_t* x, int32_t* y, int64_t n) {
  const int32_t lo = p.lo;
  const int32_t hi = p.hi;
  const int s = p.shift;
  switch (op) {
    case ElemUnary::kAbs:
      elem_map(x, y, n, [](int32_t v) { return v < 0 ? -v : v; });
      break;
    case ElemUnary::kNegative:
      elem_map(x, y, n, [](int32_t v) { return -v; });
      break;
    case ElemUnary::kRelu:
      elem_map(x, y, n, [](int32_t v) { return v > 0 ? v : 0; });
      break;
    case ElemUnary::kClip:
      elem_map(x, y, n, [lo, hi](int32_t v) { return elem_clip(v, lo, hi); });
      break;
    case ElemUnary::kLeftShift:
      // x * 2^s fits int32 (cvm_left_shift_b2); the shift is done on the
      // unsigned bits, which is the same value without signed-shift rules.
      elem_map(x, y, n, [lo, hi, s](int32_t v) {
        return elem_clip(static_cast<int32_t>(static_cast<uint32_t>(v) << s), lo, hi);
      });
      break;
    case ElemUnary::kRightShift:
      // s = shift_bit - 1 in [0, 31]. u = x >> s; the reference's
      // ((u + 1) >> 1) equals (u >> 1) + (u & 1) without forming u + 1.
      elem_map(x, y, n, [lo, hi, s](int32_t v) {
        const int32_t u = v >> s;
        return elem_clip((u >> 1) + (u & 1), lo, hi);
      });
      break;
    case ElemUnary::kPrecision:
      elem_map(x, y, n, [](int32_t v) { return elem_precision(v); });
      break;
  }
}

// ---- binary ---------------------------------------------------------------

template <class F>
inline void elem_zip(const int32_t* a, int64_t sa, const int32_t* b, int64_t sb, int32_t* y, int64_t n,
                     F f) {
  if (sa != 0 && sb != 0) {
    for (int64_t i = 0; i < n; ++i) y[i] = f(a[i], b[i]);
  } else if (sa != 0) {
    const int32_t vb = b[0];
    for (int64_t i = 0; i < n; ++i) y[i] = f(a[i], vb);
  } else if (sb != 0) {
    const int32_t va = a[0];
    for (int64_t i = 0; i < n; ++i) y[i] = f(va, b[i]);
  } else {
    std::fill(y, y + n, f(a[0], b[0]));
  }
}

/// One run of n output elements; a and b advance by sa, sb in {0, 1}.
inline void binary_chunk(ElemBinary op, const int32_t* a, int64_t sa, const int32_t* b, int64_t sb,
                         int32_t* y, int64_t n) {
  switch (op) {
    case ElemBinary::kAdd:
      elem_zip(a, sa, b, sb, y, n, [](int32_t u, int32_t v) { return u + v; });
      break;
    case ElemBinary::kSub:
      elem_zip(a, sa, b, sb, y, n, [](int32_t u, int32_t v) { return u - v; });
      break;
    case ElemBinary::kMul:
      elem_zip(a, sa, b, sb, y, n, [](int32_t u, int32_t v) { return u * v; });
      break;
    case ElemBinary::kDiv:
      // Truncating division; 0 for a zero divisor. -2^31 / -1 cannot occur.
      elem_zip(a, sa, b, sb, y, n, [](int32_t u, int32_t v) { return v == 0 ? 0 : u / v; });
      break;
    case ElemBinary::kMax:
      elem_zip(a, sa, b, sb, y, n, [](int32_t u, int32_t v) { return u > v ? u : v; });
      break;
    case ElemBinary::kGreater:
      elem_zip(a, sa, b, sb, y, n, [](int32_t u, int32_t v) { return u > v ? 1 : 0; });
      break;
  }
}

// ---- cvm_lut and where ----------------------------------------------------

/// y[j] = table[clip(idx[j], 0, last)], last = |table| - 1 (< 2^30).
inline void lut_chunk(const int32_t* idx, const int32_t* table, int32_t last, int32_t* y, int64_t n) {
  for (int64_t j = 0; j < n; ++j) {
    // Branch-free clamp (conditional moves): indices are often out of range.
    int32_t c = idx[j];
    c = c < 0 ? 0 : c;
    c = c > last ? last : c;
    y[j] = table[c];
  }
}

/// z[i] = c[i] != 0 ? x[i] : y[i].
inline void where_chunk(const int32_t* c, const int32_t* x, const int32_t* y, int32_t* z, int64_t n) {
  // Select by mask (all ones where c != 0): vectorises without blend
  // instructions (SSE2) and reads both branches, as a select must anyway.
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t m = 0u - static_cast<uint32_t>(c[i] != 0);
    z[i] = static_cast<int32_t>((static_cast<uint32_t>(x[i]) & m) | (static_cast<uint32_t>(y[i]) & ~m));
  }
}

// ---- drivers ----------------------------------------------------------------

inline void run_unary(ElemUnary op, const ElemUnaryParams& p, const Tensor& x, Tensor& y, const Exec& exec) {
  const ElemUnaryChunk fn = use_avx2(exec.isa) ? &elem_avx2::unary_chunk : &unary_chunk;
  const int32_t* xp = x.data.data();
  int32_t* yp = y.data.data();
  exec.parallel_for(y.size(), kElemGrain, [&](int64_t b, int64_t e) { fn(op, p, xp + b, yp + b, e - b); });
}

/// The broadcast iteration space: dims[0..rank) outermost first, with the
/// element strides of a and b (0 on broadcast dims); the last dim is the
/// contiguous run, with strides in {0, 1}.
struct ElemBroadcastPlan {
  int rank = 0;
  std::array<int64_t, kMaxRank> dims{};
  std::array<int64_t, kMaxRank> sa{};
  std::array<int64_t, kMaxRank> sb{};
};

inline ElemBroadcastPlan plan_broadcast(const Shape& out, const Shape& a, const Shape& b) {
  const size_t r = out.size();
  // Right-aligned row-major strides of an input over the output dims.
  auto strides = [&](const Shape& s) {
    std::array<int64_t, kMaxRank> st{};
    int64_t acc = 1;
    for (size_t k = 0; k < s.size(); ++k) {
      const size_t in_d = s.size() - 1 - k;  // input dim, from the right
      const size_t out_d = r - 1 - k;
      st[out_d] = s[in_d] == 1 ? 0 : acc;
      acc *= s[in_d];
    }
    return st;  // leading output dims missing in s keep stride 0
  };
  const std::array<int64_t, kMaxRank> ta = strides(a);
  const std::array<int64_t, kMaxRank> tb = strides(b);
  ElemBroadcastPlan p;
  for (size_t d = 0; d < r; ++d) {
    if (out[d] == 1) continue;  // contributes nothing
    if (p.rank > 0) {
      const int q = p.rank - 1;
      // Merge into the previous kept dim when both inputs are contiguous
      // across the two (or both broadcast: 0 == 0 * d).
      if (p.sa[q] == ta[d] * out[d] && p.sb[q] == tb[d] * out[d]) {
        p.dims[q] *= out[d];
        p.sa[q] = ta[d];
        p.sb[q] = tb[d];
        continue;
      }
    }
    p.dims[p.rank] = out[d];
    p.sa[p.rank] = ta[d];
    p.sb[p.rank] = tb[d];
    ++p.rank;
  }
  if (p.rank == 0) {  // a single element
    p.rank = 1;
    p.dims[0] = 1;
    p.sa[0] = 0;
    p.sb[0] = 0;
  }
  return p;
}

inline void run_binary(ElemBinary op, const Tensor& a, const Tensor& b, Tensor& y, const Exec& exec,
                       int64_t grain = kElemGrain) {
  const ElemBinaryChunk fn = use_avx2(exec.isa) ? &elem_avx2::binary_chunk : &binary_chunk;
  const ElemBroadcastPlan p = plan_broadcast(y.shape, a.shape, b.shape);
  const int32_t* ap = a.data.data();
  const int32_t* bp = b.data.data();
  int32_t* yp = y.data.data();
  const int inner = p.rank - 1;
  const int64_t n_in = p.dims[static_cast<size_t>(inner)];
  const int64_t sa_in = p.sa[static_cast<size_t>(inner)];
  const int64_t sb_in = p.sb[static_cast<size_t>(inner)];
  exec.parallel_for(y.size(), grain, [&](int64_t begin, int64_t end) {
    // Odometer over the outer dims, positioned once at `begin`.
    std::array<int64_t, kMaxRank> idx{};
    int64_t row = begin / n_in;
    int64_t col = begin % n_in;
    int64_t offa = 0;
    int64_t offb = 0;
    for (int d = inner - 1; d >= 0; --d) {
      const auto k = static_cast<size_t>(d);
      idx[k] = row % p.dims[k];
      row /= p.dims[k];
      offa += idx[k] * p.sa[k];
      offb += idx[k] * p.sb[k];
    }
    int64_t pos = begin;
    while (pos < end) {
      const int64_t len = std::min(n_in - col, end - pos);
      fn(op, ap + offa + col * sa_in, sa_in, bp + offb + col * sb_in, sb_in, yp + pos, len);
      pos += len;
      col = 0;
      for (int d = inner - 1; d >= 0; --d) {
        const auto k = static_cast<size_t>(d);
        offa += p.sa[k];
        offb += p.sb[k];
        if (++idx[k] < p.dims[k]) break;
        offa -= p.sa[k] * p.dims[k];
        offb -= p.sb[k] * p.dims[k];
        idx[k] = 0;
      }
    }
  });
}

}  // namespace
/// The kernel of an op that is one unary operation: the parameters come
/// from the node's attributes once, when the node is prepared.
class UnaryElemKernel final : public NodeKernel {
 public:
  UnaryElemKernel(ElemUnary op, const ElemUnaryParams& p) : op_(op), p_(p) {}
  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    run_unary(op_, p_, *in[0], *out[0], exec);
  }

 private:
  ElemUnary op_;
  ElemUnaryParams p_;
};

inline std::unique_ptr<NodeKernel> unary_elem_kernel(ElemUnary op, const ElemUnaryParams& p = {}) {
  return std::make_unique<UnaryElemKernel>(op, p);
}

/// [lo, hi] = [-R(p), R(p)] for a precision attribute p (cvm_clip and the
/// shifts clip to it), and the shift amount.
inline ElemUnaryParams precision_clip(int64_t precision, int shift = 0) {
  const auto alpha = static_cast<int32_t>(prec_max(static_cast<int>(precision)));
  ElemUnaryParams p;
  p.lo = -alpha;
  p.hi = alpha;
  p.shift = shift;
  return p;
}

/// The kernel of an element-wise binary op (equal shapes or numpy
/// broadcasting): run_binary on its two inputs.
class BinaryElemKernel final : public NodeKernel {
 public:
  explicit BinaryElemKernel(ElemBinary op) : op_(op) {}
  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    run_binary(op_, *in[0], *in[1], *out[0], exec);
  }

 private:
  ElemBinary op_;
};

inline std::unique_ptr<NodeKernel> binary_elem_kernel(ElemBinary op) { return std::make_unique<BinaryElemKernel>(op); }

}  // namespace cvm::fast
