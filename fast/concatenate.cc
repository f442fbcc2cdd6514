// concatenate - fast kernel.
//
// Viewing each tensor as (outer, axis * inner), output row o is the
// concatenation of the inputs' rows o: segment k is input k's contiguous run
// of s_k * inner values. The kernel splits the output's flat range over the
// pool (chunks of >= 16K elements, which may start or end inside a segment);
// a chunk locates its first (row, segment) once and then memcpys segment
// pieces (transform::copy_ints), so there is no per-element index arithmetic. The segment lengths
// are fixed by the node's static shapes and computed in the factory by
// cvm::concatenate_rows (cvm/copy_plan.h).
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
  explicit ConcatenateKernel(ConcatRows rows) : rows_(std::move(rows)) {}
  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    int32_t* y = out[0]->data.data();
    const std::vector<int64_t>& seg = rows_.seg;
    const int64_t total = rows_.outer * rows_.row;
    if (total == 0) return;
    const size_t nk = seg.size();
    exec.parallel_for(total, transform::kGrainElems, [&](int64_t b, int64_t e) {
      int64_t row = b / rows_.row;
      int64_t pos = b % rows_.row;  // position within the row
      size_t k = 0;
      while (pos >= seg[k]) {  // find the segment holding pos
        pos -= seg[k];
        ++k;
      }
      int64_t at = b;
      while (at < e) {
        const int64_t n = std::min(seg[k] - pos, e - at);
        transform::copy_ints(y + at, in[k]->data.data() + row * seg[k] + pos, n);
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
  ConcatRows rows_;
};

}  // namespace

std::unique_ptr<NodeKernel> make_concatenate(const NodeSpec& spec, const KernelOptions&) {
  const auto& a = std::any_cast<const ConcatenateAttrs&>(spec.attrs);
  return std::make_unique<ConcatenateKernel>(
      concatenate_rows(a, spec.outputs[0].shape, spec.inputs));
}

}  // namespace cvm::fast
