// dense - fast kernel: y = x w^T (+ b), x (M, K), w (units, K).
//
// AVX2 path (use_avx2(exec.isa)): int16 GEMM (fast/gemm_common_avx2.cc) with
// x packed per run into row panels and w packed into 16-unit column tiles
// (once when w is a constant and the kernel is made for that level, per run
// otherwise); vpmaddwd micro-kernel with
// int32 accumulators, K blocking, threads over (row block, column block)
// tasks.
//
// At the AVX-VNNI and AVX-512 VNNI levels (gemm::int8_gemm(exec.isa)) the
// same GEMM runs on int8 operands with vpdpbusd (u = x + 128 unsigned,
// weights signed, minus 128 times each unit's weight sum;
// fast/gemm_common.h): the weights are then packed as int8 with those sums
// instead.
//
// Portable path: one int32 dot product of two contiguous rows per output
// element (auto-vectorised), threads over output rows.
//
// Exactness: dense_c5 (|x|, |w| <= 127: int16 operands and vpmaddwd pair sums
// are exact) and dense_b2 (every partial sum, i.e. any subset of the K terms,
// and the biased sum are at most R(p_y) <= 2^31 - 1: int32 accumulation in
// any order is exact). The fused variant applies the epilogue steps
// (cvm/epilogue.h) to the biased sum before storing.
#include <memory>
#include <vector>

#include "cvm/ops/dense.h"
#include "fast/epilogue.h"
#include "fast/gemm_common.h"

namespace cvm::fast {
namespace {

using gemm::ceil_div;

class DenseKernel final : public NodeKernel {
 public:
  DenseKernel(const NodeSpec& spec, Epilogue epilogue, Isa level)
      : a_(std::any_cast<const DenseAttrs&>(spec.attrs)), epi_(std::move(epilogue)) {
    k_count_ = spec.inputs[1].shape[1];
    packed_size_ = ceil_div(a_.units, gemm::kNR) * ceil_div(k_count_, 2) * 32;
    packed8_size_ = ceil_div(a_.units, gemm::kNR) * ceil_div(k_count_, gemm::kKQ) * gemm::kTileQuadBytes;
    corr_size_ = ceil_div(a_.units, gemm::kNR) * gemm::kNR;
    // Constant weights are packed once for the GEMM path of the kernel's
    // level (none for the portable one, which reads w as it is).
    if (spec.constants.size() > 1 && spec.constants[1] != nullptr) {
      if (gemm::int8_gemm(level)) {
        packed8_.resize(static_cast<size_t>(packed8_size_));
        corr8_.resize(static_cast<size_t>(corr_size_));
        gemm::pack_b8_transposed(spec.constants[1]->data.data(), a_.units, k_count_, k_count_,
                                 packed8_.data(), corr8_.data());
        prepacked8_ = true;
      } else if (use_avx2(level)) {
        packed_.resize(static_cast<size_t>(packed_size_));
        gemm::pack_b_transposed(spec.constants[1]->data.data(), a_.units, k_count_, k_count_,
                                packed_.data());
        prepacked_ = true;
      }
    }
  }

  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    const Tensor& x = *in[0];
    const Tensor& w = *in[1];
    const int32_t* bias = a_.use_bias ? in[2]->data.data() : nullptr;
    Tensor& y = *out[0];
    const int64_t m = x.shape[0];
    if (use_avx2(exec.isa)) {
      std::vector<int16_t> local;
      std::vector<int8_t> local8;
      std::vector<int32_t> local_corr;
      gemm::DenseProblem p;
      // A run at another level than the kernel's packs the weights itself.
      if (gemm::int8_gemm(exec.isa)) {
        if (!prepacked8_) {
          local8.resize(static_cast<size_t>(packed8_size_));
          local_corr.resize(static_cast<size_t>(corr_size_));
          gemm::pack_b8_transposed(w.data.data(), a_.units, k_count_, k_count_, local8.data(),
                                   local_corr.data());
        }
        p.b8 = prepacked8_ ? packed8_.data() : local8.data();
        p.b8_corr = prepacked8_ ? corr8_.data() : local_corr.data();
      } else {
        if (!prepacked_) {
          local.resize(static_cast<size_t>(packed_size_));
          gemm::pack_b_transposed(w.data.data(), a_.units, k_count_, k_count_, local.data());
        }
        p.b_packed = prepacked_ ? packed_.data() : local.data();
      }
      p.m = m, p.k = k_count_, p.units = a_.units;
      p.x = x.data.data();
      p.bias = bias;
      p.y = y.data.data();
      p.epilogue = &epi_;
      gemm::dense_avx2(p, exec);
      return;
    }
    const int64_t units = a_.units, kc = k_count_;
    const int32_t* xd = x.data.data();
    const int32_t* wd = w.data.data();
    int32_t* yd = y.data.data();
    const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, units * kc));
    exec.parallel_for(m, grain, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const int32_t* xr = xd + i * kc;
        int32_t* yr = yd + i * units;
        for (int64_t n = 0; n < units; ++n) {
          const int32_t* wr = wd + n * kc;
          int32_t acc = 0;
          for (int64_t k = 0; k < kc; ++k) acc += xr[k] * wr[k];
          yr[n] = acc;
        }
        gemm::epilogue_row_portable(yr, units, 0, bias, epi_);
      }
    });
  }

 private:
  DenseAttrs a_;
  Epilogue epi_;
  int64_t k_count_ = 0, packed_size_ = 0, packed8_size_ = 0, corr_size_ = 0;
  std::vector<int16_t> packed_;
  std::vector<int8_t> packed8_;  // the int8 path's (gemm::pack_b8_transposed)
  std::vector<int32_t> corr8_;
  bool prepacked_ = false;   // packed_ holds the constant weights
  bool prepacked8_ = false;  // packed8_ and corr8_ do
};

}  // namespace

std::unique_ptr<NodeKernel> make_dense(const NodeSpec& spec, const KernelOptions& options) {
  return std::make_unique<DenseKernel>(spec, Epilogue{}, options.isa);
}

std::unique_ptr<NodeKernel> make_dense_fused(const NodeSpec& spec, const Epilogue& epilogue,
                                             const KernelOptions& options) {
  return std::make_unique<DenseKernel>(spec, epilogue, options.isa);
}

}  // namespace cvm::fast
