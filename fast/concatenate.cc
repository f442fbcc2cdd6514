// concatenate - fast kernel.
//
// Viewing each tensor as (outer, axis * inner), output row o is the
// concatenation of the inputs' rows o: segment k is input k's contiguous run
// of s_k * inner values. The kernel splits the output's flat range over the
// pool (chunks of >= 16K elements, which may start or end inside a segment);
// a chunk locates its first (row, segment) once and then memcpys segment
// pieces (transform::copy_ints), so there is no per-element index arithmetic. The segment lengths
// are fixed by the node's static shapes and computed in the factory.
// concatenate_b1 (each y value is a value of some x_k, within
// R(p_k) <= R(p_y)) licenses copying without the per-element bound check;
// offsets are below 2^30, held in int64.
#include "cvm/ops/concatenate.h"

#include <algorithm>
#include <vector>

#include "fast/transform_common.h"

namespace cvm::fast {
namespace {

class ConcatenateKernel final : public NodeKernel {
 public:
  ConcatenateKernel(int64_t outer, std::vector<int64_t> seg) : outer_(outer), seg_(std::move(seg)) {
    for (int64_t l : seg_) row_ += l;
  }
  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    int32_t* y = out[0]->data.data();
    const int64_t total = outer_ * row_;
    if (total == 0) return;
    const size_t nk = seg_.size();
    exec.parallel_for(total, transform::kGrainElems, [&](int64_t b, int64_t e) {
      int64_t row = b / row_;
      int64_t pos = b % row_;  // position within the row
      size_t k = 0;
      while (pos >= seg_[k]) {  // find the segment holding pos
        pos -= seg_[k];
        ++k;
      }
      int64_t at = b;
      while (at < e) {
        const int64_t n = std::min(seg_[k] - pos, e - at);
        transform::copy_ints(y + at, in[k]->data.data() + row * seg_[k] + pos, n);
        at += n;
        pos = 0;
        if (++k == nk) {
          k = 0;
          ++row;
        }
      }
    });
  }

 private:
  int64_t outer_;
  std::vector<int64_t> seg_;  // s_k * inner per input
  int64_t row_ = 0;
};

}  // namespace

std::unique_ptr<NodeKernel> make_concatenate(const NodeSpec& spec) {
  const auto& a = std::any_cast<const ConcatenateAttrs&>(spec.attrs);
  const Shape& ys = spec.outputs[0].shape;
  const auto n = static_cast<int64_t>(ys.size());
  const auto axis = static_cast<size_t>(a.axis < 0 ? a.axis + n : a.axis);
  int64_t outer = 1, inner = 1;
  for (size_t i = 0; i < ys.size(); ++i) {
    if (i < axis) outer *= ys[i];
    if (i > axis) inner *= ys[i];
  }
  std::vector<int64_t> seg;
  for (const TensorType& t : spec.inputs) seg.push_back(t.shape[axis] * inner);
  return std::make_unique<ConcatenateKernel>(outer, std::move(seg));
}

}  // namespace cvm::fast
