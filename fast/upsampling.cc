// upsampling - fast kernel.
//
// Nearest neighbour, NCHW: y[n, c, h, w] = x[n, c, h quot s, w quot s]. Work
// unit = one input row (n, c, h): the kernel writes output row h*s by filling
// s copies of each x value (a run of W*s), then memcpys that row to output
// rows h*s+1 .. h*s+s-1. No per-element index arithmetic; parallel_for over
// input rows with >= 16K output elements per chunk. upsampling_b1 (every y
// value is an x value, p_y = p_x) licenses dropping the per-element bound
// check; offsets are indices of y (< 2^30) held in int64.
#include "cvm/ops/upsampling.h"

#include <algorithm>

#include "fast/transform_common.h"

namespace cvm::fast {
namespace {

class UpsamplingKernel final : public NodeKernel {
 public:
  UpsamplingKernel(int64_t rows, int64_t w, int64_t s) : rows_(rows), w_(w), s_(s) {}
  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    const int32_t* x = in[0]->data.data();
    int32_t* y = out[0]->data.data();
    const int64_t w = w_, s = s_;
    const int64_t ow = w * s;        // output row length
    const int64_t per_row = ow * s;  // output elements per input row
    const int64_t grain = std::max<int64_t>(1, transform::kGrainElems / per_row);
    exec.parallel_for(rows_, grain, [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        const int32_t* xr = x + r * w;
        int32_t* yr = y + r * per_row;
        if (s == 1) {
          transform::copy_ints(yr, xr, w);
          continue;
        }
        for (int64_t i = 0; i < w; ++i) std::fill(yr + i * s, yr + i * s + s, xr[i]);
        for (int64_t q = 1; q < s; ++q) transform::copy_ints(yr + q * ow, yr, ow);
      }
    });
  }

 private:
  int64_t rows_, w_, s_;
};

}  // namespace

std::unique_ptr<NodeKernel> make_upsampling(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const UpsamplingAttrs&>(spec.attrs);
  const Shape& xs = spec.inputs[0].shape;
  return std::make_unique<UpsamplingKernel>(xs[0] * xs[1] * xs[2], xs[3], a.scale);
}

}  // namespace cvm::fast
