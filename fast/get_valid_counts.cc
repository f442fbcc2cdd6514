// get_valid_counts - fast kernel (spec/ops/get_valid_counts.rst).
//
// The rows of every batch are split into a fixed number of parts (depending
// only on B and N, so the result does not depend on the thread count).
// Pass 1 (parallel over (batch, part)) counts the rows of each part whose
// score x[b, n, 1] > score_threshold; a prefix sum over the parts of a batch
// (in order) gives valid_count[b] and each part's first output row. Pass 2
// (parallel over (batch, part)) compacts the part's kept rows whole (K values
// each) into a per-thread buffer without branches, copies them to their
// output rows in input order, and writes -1 into the output rows
// j >= valid_count[b] that fall in the part's own row range, so every output
// row is written exactly once. Values are only compared and
// copied: get_valid_counts_b1 (every output is a value of x or -1, and
// 0 <= valid_count[b] <= N) needs no check and no wider arithmetic.
#include <algorithm>
#include <cstring>
#include <vector>

#include "cvm/ops/get_valid_counts.h"
#include "fast/kernel.h"

namespace cvm::fast {
namespace {

constexpr int64_t kRowsPerPart = 4096;

void run_gvc(const GetValidCountsAttrs& a, const Inputs& in, const Outputs& out, const Exec& exec) {
  const Tensor& x = *in[0];
  Tensor& count = *out[0];
  Tensor& y = *out[1];
  const int64_t B = x.shape[0], N = x.shape[1], K = x.shape[2];
  const int64_t parts = (N + kRowsPerPart - 1) / kRowsPerPart;
  const int64_t t = a.score_threshold;
  const int32_t* xd = x.data.data();
  int32_t* yd = y.data.data();
  const auto row_begin = [&](int64_t p) { return N * p / parts; };
  std::vector<int64_t> first(static_cast<size_t>(B * parts + 1), 0);  // kept rows per part, then offsets
  const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, (N / parts) * K));
  exec.parallel_for(B * parts, grain, [&](int64_t wb, int64_t we) {
    for (int64_t w = wb; w < we; ++w) {
      const int64_t b = w / parts, p = w % parts;
      const int32_t* s = xd + b * N * K + 1;  // scores: s[n * K]
      int64_t c = 0;
      for (int64_t n = row_begin(p), e = row_begin(p + 1); n < e; ++n) c += s[n * K] > t;
      first[static_cast<size_t>(w)] = c;
    }
  });
  for (int64_t b = 0; b < B; ++b) {
    int64_t acc = 0;
    for (int64_t p = 0; p < parts; ++p) {
      const auto i = static_cast<size_t>(b * parts + p);
      const int64_t c = first[i];
      first[i] = acc;
      acc += c;
    }
    count.data[static_cast<size_t>(b)] = static_cast<int32_t>(acc);
  }
  exec.parallel_for(B * parts, grain, [&](int64_t wb, int64_t we) {
    // The part's kept rows are compacted branch-free into this buffer (every
    // row is copied, the write position advances only past kept ones: a
    // data-dependent branch per row mispredicts about half the time on
    // random scores), then the kept prefix goes to the output in one copy.
    // Compacting in y directly would let the last, unkept row's copy spill
    // into the next part's output rows, which another thread writes.
    std::vector<int32_t> kept(static_cast<size_t>((N / parts + 2) * K));
    for (int64_t w = wb; w < we; ++w) {
      const int64_t b = w / parts, p = w % parts;
      const int64_t n0 = row_begin(p), n1 = row_begin(p + 1);
      const int32_t* src = xd + (b * N + n0) * K;
      int32_t* buf = kept.data();
      int64_t c_part = 0;
      if (K == 6) {  // the usual detection row (id, score, 4 coordinates)
        for (int64_t n = n0; n < n1; ++n, src += 6) {
          std::memcpy(buf + c_part * 6, src, 6 * sizeof(int32_t));
          c_part += src[1] > t;
        }
      } else {
        for (int64_t n = n0; n < n1; ++n, src += K) {
          std::memcpy(buf + c_part * K, src, static_cast<size_t>(K) * sizeof(int32_t));
          c_part += src[1] > t;
        }
      }
      std::memcpy(yd + (b * N + first[static_cast<size_t>(w)]) * K, buf,
                  static_cast<size_t>(c_part * K) * sizeof(int32_t));
      const int64_t c = count.data[static_cast<size_t>(b)];
      const int64_t f0 = std::max(n0, c);
      if (f0 < n1) std::fill(yd + (b * N + f0) * K, yd + (b * N + n1) * K, -1);
    }
  });
}

}  // namespace

std::unique_ptr<NodeKernel> make_get_valid_counts(const NodeSpec& spec, const KernelOptions&) {
  return function_kernel<GetValidCountsAttrs>(spec, run_gvc);
}

}  // namespace cvm::fast
