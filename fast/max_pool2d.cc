// max_pool2d - fast kernel (spec/ops/max_pool2d.rst).
//
// Restructured per output row (n, c, h'): the window's input rows are the
// clipped range [max(0, h'S_H - P_H), min(H, h'S_H - P_H + K_H)); first their
// column-wise maximum is taken into a row buffer (a contiguous loop over W,
// vectorised), then each output column takes the maximum of K_W consecutive
// buffer entries (for stride 1 a contiguous loop over W_out per window column,
// vectorised). The buffer has P_W entries of INT32_MIN before the row and
// INT32_MIN after it up to the last window's end (ceil_mode may reach past
// the padded edge): INT32_MIN is no value of precision <= 32, so those cells
// are ignored exactly as the spec ignores padding, provided every window
// holds a cell of x, which max_pool2d_b2 guarantees (rows: the clipped range
// is non-empty; columns: the same argument). max_pool2d_b1: every output is
// an element of x, so int32 is exact and no order matters.
// On AVX2 the row maxima and the stride-2 windows run 8 columns at a time
// (fast/max_pool2d_avx2.cc; the stride-2 one reads the even and odd buffer
// entries with vector shuffles instead of one scalar window per column).
// Threads split the N * C * H_out output rows (chunks of >= ~16K elements of
// work); each row is written by exactly one chunk.
//
// In a fused run the program may hand x over, or have y handed over, as
// bytes u = v + 128 (fast/int8_handoff.h; precision <= 8, so u in [1, 255]):
// the same rows then run on bytes, which order as the values do, with 0 in
// place of INT32_MIN (below every byte); only the store converts where the
// input and output sides differ.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "cvm/ops/max_pool2d.h"
#include "fast/int8_handoff.h"
#include "fast/kernel.h"
#include "fast/max_pool2d_rows.h"

namespace cvm::fast {
namespace {

// Output element of value t (in T's domain: a value, or a byte u = v + 128).
template <class TO, class T>
TO convert(T t) {
  if constexpr (std::is_same_v<T, TO>) return t;
  else if constexpr (std::is_same_v<T, uint8_t>) return static_cast<TO>(int32_t{t} - 128);
  else return static_cast<TO>(t + 128);
}

// The pool over elements of type T (int32 values, or bytes), into TO.
template <class T, class TO>
void pool(const MaxPool2dAttrs& a, const Shape& xs, const Shape& ys, const T* xd, TO* yd, const Exec& exec) {
  const int64_t NC = xs[0] * xs[1];
  const int64_t H = xs[2], W = xs[3];
  const int64_t OH = ys[2], OW = ys[3];
  const int64_t KH = a.pool_h, KW = a.pool_w, SH = a.stride_h, SW = a.stride_w;
  const int64_t PH = a.pad_h, PW = a.pad_w;
  // Padded row length: P_W + W, and at least the last window's end (and
  // what the AVX2 stride-2 windows read, fast/max_pool2d_rows.h).
  const bool avx2 = use_avx2(exec.isa);
  const bool stride2 = avx2 && SW == 2;
  constexpr int64_t kSlack = std::is_same_v<T, uint8_t> ? pool::kStride2SlackBytes : pool::kStride2Slack;
  const int64_t buf_len = std::max({PW + W, (OW - 1) * SW + KW, stride2 ? 2 * OW + KW + kSlack : int64_t{0}});
  const int64_t row_work = std::max<int64_t>(1, std::min(KH, H) * W + KW * OW);
  const int64_t grain = std::max<int64_t>(1, 16384 / row_work);
  constexpr T kIgnored = std::numeric_limits<T>::min();  // below every value (byte)
  exec.parallel_for(NC * OH, grain, [&](int64_t rb, int64_t re) {
    std::vector<T> buf(static_cast<size_t>(buf_len), kIgnored);
    std::vector<T> out_row(static_cast<size_t>(std::is_same_v<T, TO> ? 0 : OW));
    T* row = buf.data() + PW;  // row[w] for w in [0, W)
    for (int64_t r = rb; r < re; ++r) {
      const int64_t nc = r / OH, oh = r % OH;
      const int64_t h0 = std::max<int64_t>(0, oh * SH - PH);
      const int64_t h1 = std::min(H, oh * SH - PH + KH);  // h0 < h1 by max_pool2d_b2
      const T* plane = xd + nc * H * W;
      std::copy(plane + h0 * W, plane + (h0 + 1) * W, row);
      for (int64_t h = h0 + 1; h < h1; ++h) {
        const T* __restrict src = plane + h * W;
        T* __restrict dst = row;
        if (avx2) {
          pool::max_into_avx2(dst, src, W);
        } else {
          for (int64_t w = 0; w < W; ++w) dst[w] = std::max(dst[w], src[w]);
        }
      }
      T* __restrict o;
      if constexpr (std::is_same_v<T, TO>) o = yd + r * OW;
      else o = out_row.data();
      const T* b = buf.data();
      if (stride2) {
        pool::window_max_stride2_avx2(b, OW, KW, o);
      } else if (SW == 1) {
        std::copy(b, b + OW, o);
        for (int64_t s = 1; s < KW; ++s) {
          const T* __restrict bs = b + s;
          for (int64_t w = 0; w < OW; ++w) o[w] = std::max(o[w], bs[w]);
        }
      } else {
        for (int64_t w = 0; w < OW; ++w) {
          const T* bw = b + w * SW;
          T m = bw[0];
          for (int64_t s = 1; s < KW; ++s) m = std::max(m, bw[s]);
          o[w] = m;
        }
      }
      if constexpr (!std::is_same_v<T, TO>)
        for (int64_t w = 0; w < OW; ++w) yd[r * OW + w] = convert<TO>(o[w]);
    }
  });
}

class MaxPool2dKernel final : public NodeKernel {
 public:
  MaxPool2dKernel(const NodeSpec& spec, const KernelOptions& options)
      : a_(std::any_cast<const MaxPool2dAttrs&>(spec.attrs)), x_bytes_(options.x_as_bytes), y_bytes_(options.y_as_bytes) {}

  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    const Tensor& x = *in[0];
    Tensor& y = *out[0];
    if (x_bytes_ && y_bytes_) pool(a_, x.shape, y.shape, handoff_bytes(x), handoff_bytes(y), exec);
    else if (x_bytes_) pool(a_, x.shape, y.shape, handoff_bytes(x), y.data.data(), exec);
    else if (y_bytes_) pool(a_, x.shape, y.shape, x.data.data(), handoff_bytes(y), exec);
    else pool(a_, x.shape, y.shape, x.data.data(), y.data.data(), exec);
  }

 private:
  MaxPool2dAttrs a_;
  bool x_bytes_, y_bytes_;  // KernelOptions::x_as_bytes, y_as_bytes
};

}  // namespace

std::unique_ptr<NodeKernel> make_max_pool2d(const NodeSpec& spec, const KernelOptions& options) {
  return std::make_unique<MaxPool2dKernel>(spec, options);
}

}  // namespace cvm::fast
