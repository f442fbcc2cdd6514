// take - fast kernel.
//
// Without an axis: y[j] = x[clip(ind[j], 0, |x| - 1)], a gather loop over j
// (fast/take_avx2.cc: 8 clamps + one AVX2 gather per step; the clamp is done
// in int32, exact because ind is int32 and |x| - 1 < 2^30).
// With axis a: viewing x as (pre, n_a, post) and y as (pre, |ind|, post),
// output row (p, i) is x's contiguous run of post values at row
// (p, clip(ind[i], 0, n_a - 1)), copied with memcpy; when post = 1 each run
// of i within one p is the flat gather above on x's row p. Rows are walked
// with a two-level counter (p, i), no per-element unravel; parallel_for
// splits rows (or j) in chunks of >= 16K elements.
// The clamp gives the reference's position exactly (int64 clip of an int32), so
// the position is in range: take_b2 (0 <= clip(.) <= |x| - 1, or n_a - 1)
// licenses the unchecked reads, take_b1 (y values are x values, p_y = p_x)
// dropping the per-element bound check.
#include "cvm/ops/take.h"

#include <algorithm>

#include "cvm/intmath.h"
#include "fast/transform_common.h"

namespace cvm::fast {
namespace {

// y[j] = x[clamp(ind[j], 0, hi)] for j < n; hi < 2^30.
void gather(const int32_t* x, const int32_t* ind, int32_t* y, int64_t n, int32_t hi, bool avx2) {
  if (avx2) {
    transform::take_flat_avx2(x, ind, y, n, hi);
    return;
  }
  for (int64_t j = 0; j < n; ++j) {
    const int32_t v = ind[j];
    y[j] = x[v < 0 ? 0 : (v > hi ? hi : v)];
  }
}

class TakeKernel final : public NodeKernel {
 public:
  // flat: no axis. Else x is (pre, na, post) and ind has ni elements.
  TakeKernel(bool flat, int64_t pre, int64_t na, int64_t post, int64_t ni)
      : flat_(flat), pre_(pre), na_(na), post_(post), ni_(ni) {}
  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    const int32_t* x = in[0]->data.data();
    const int32_t* ind = in[1]->data.data();
    int32_t* y = out[0]->data.data();
    const bool avx2 = use_avx2(exec.isa);
    if (flat_) {
      // |x| <= 2^30: the clamp is exact in int32.
      const auto hi = static_cast<int32_t>(in[0]->size() - 1);
      exec.parallel_for(out[0]->size(), transform::kGrainElems,
                        [&](int64_t b, int64_t e) { gather(x, ind + b, y + b, e - b, hi, avx2); });
      return;
    }
    const int64_t na = na_, post = post_, ni = ni_;
    const int64_t rows = pre_ * ni;
    const int64_t grain = std::max<int64_t>(1, transform::kGrainElems / post);
    exec.parallel_for(rows, grain, [&](int64_t b, int64_t e) {
      int64_t p = b / ni;
      int64_t i = b % ni;
      const int32_t* xp = x + p * na * post;
      int32_t* yr = y + b * post;
      if (post == 1) {
        // Runs of i within one p are flat gathers from x's row p.
        const auto hi = static_cast<int32_t>(na - 1);
        for (int64_t r = b; r < e;) {
          const int64_t n = std::min(ni - i, e - r);
          gather(xp, ind + i, yr, n, hi, avx2);
          yr += n;
          r += n;
          i = 0;
          xp += na;
        }
        return;
      }
      for (int64_t r = b; r < e; ++r) {
        const int64_t c = clip(ind[i], 0, na - 1);
        transform::copy_ints(yr, xp + c * post, post);
        yr += post;
        if (++i == ni) {
          i = 0;
          xp += na * post;
        }
      }
    });
  }

 private:
  bool flat_;
  int64_t pre_, na_, post_, ni_;
};

}  // namespace

std::unique_ptr<NodeKernel> make_take(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const TakeAttrs&>(spec.attrs);
  const Shape& xs = spec.inputs[0].shape;
  const int64_t ni = shape_size(spec.inputs[1].shape);
  if (!a.axis) return std::make_unique<TakeKernel>(true, 1, 1, 1, ni);
  const auto n = static_cast<int64_t>(xs.size());
  const auto axis = static_cast<size_t>(*a.axis < 0 ? *a.axis + n : *a.axis);
  int64_t pre = 1, post = 1;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i < axis) pre *= xs[i];
    if (i > axis) post *= xs[i];
  }
  return std::make_unique<TakeKernel>(false, pre, xs[axis], post, ni);
}

}  // namespace cvm::fast
