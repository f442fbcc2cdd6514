// conv2d - fast kernel (NCHW x, OIHW w, groups, strides, padding, dilation).
//
// AVX2 path (use_avx2(exec.isa)): an implicit-im2col int16 GEMM per (batch,
// group) image, y[o, pixel] = sum_k w[o, k] col[k, pixel]
// (fast/gemm_common_avx2.cc): weights packed once into int16 row panels when
// w is a constant and the kernel is made for that level (per run otherwise),
// x copied once per run into a padded, column-phase-split int16 buffer from
// which 16-pixel B tiles are loaded with vector loads; vpmaddwd
// micro-kernel with int32 accumulators, K blocking, threads over
// (image, row block, column block) tasks.
//
// At the AVX-VNNI and AVX-512 VNNI levels (gemm::int8_gemm(exec.isa)) the
// same GEMM runs on int8 operands with vpdpbusd (u = x + 128 unsigned,
// weights signed, minus 128 times each output channel's weight sum;
// fast/gemm_common.h): the weights are then packed as int8 with those sums
// instead.
//
// Depthwise convolutions (one input channel per group) and groups of two
// input channels, on AVX2 and above, take the direct kernel of
// fast/conv2d_depthwise.h instead of the GEMM (which would run one tiny
// GEMM per group); it has AVX-512 VNNI plane kernels, but none of its own
// at the AVX-VNNI level (which runs its AVX2 ones).
//
// Portable path: per (n, o) task, int32 accumulation of one output plane,
// adding w[o, c, u, v] * x row segments (contiguous inner loops; the padding
// is handled by clamping the column range, never per element).
//
// Exactness: conv2d_c14 (|x|, |w| <= 127: int16 operands and vpmaddwd pair
// sums are exact) and conv2d_b2 (every partial sum, i.e. any subset of the K
// terms, and the biased sum are at most R(p_y) <= 2^31 - 1: int32
// accumulation in any order is exact). The fused variant applies the
// epilogue steps (cvm/epilogue.h) to the biased sum before storing.
#include <memory>
#include <vector>

#include "cvm/ops/conv2d.h"
#include "fast/conv2d_depthwise.h"
#include "fast/epilogue.h"
#include "fast/gemm_common.h"

namespace cvm::fast {
namespace {

using gemm::ceil_div;

class Conv2dKernel final : public NodeKernel {
 public:
  Conv2dKernel(const NodeSpec& spec, Epilogue epilogue, const KernelOptions& options)
      : a_(std::any_cast<const Conv2dAttrs&>(spec.attrs)),
        epi_(std::move(epilogue)),
        depthwise_direct_(!options.depthwise_as_grouped_gemm) {
    const Isa level = options.isa;
    const Shape& ws = spec.inputs[1].shape;
    k_count_ = ws[1] * ws[2] * ws[3];
    opg_ = a_.channels / a_.groups;
    group_stride_ = ceil_div(opg_, gemm::kMR) * ceil_div(k_count_, 2) * 2 * gemm::kMR;
    group_stride8_ = ceil_div(opg_, gemm::kMR) * ceil_div(k_count_, gemm::kKQ) * gemm::kPanelQuadBytes;
    corr_stride_ = ceil_div(opg_, gemm::kMR) * gemm::kMR;
    // Constant weights are packed once for the GEMM path of the kernel's
    // level (none for the portable one, which reads w as it is).
    if (spec.constants.size() > 1 && spec.constants[1] != nullptr) {
      if (gemm::int8_gemm(level)) {
        packed8_.resize(static_cast<size_t>(group_stride8_ * a_.groups));
        corr8_.resize(static_cast<size_t>(corr_stride_ * a_.groups));
        pack8(*spec.constants[1], packed8_.data(), corr8_.data());
        prepacked8_ = true;
      } else if (use_avx2(level)) {
        packed_.resize(static_cast<size_t>(group_stride_ * a_.groups));
        pack(*spec.constants[1], packed_.data());
        prepacked_ = true;
      }
    }
  }

  void run(const Inputs& in, const Outputs& out, const Exec& exec) override {
    const Tensor& x = *in[0];
    const Tensor& w = *in[1];
    const Tensor* b = a_.use_bias ? in[2] : nullptr;
    Tensor& y = *out[0];
    gemm::ConvProblem p;
    p.n = x.shape[0], p.c = x.shape[1], p.h = x.shape[2], p.w = x.shape[3];
    p.o = a_.channels, p.kh = a_.kernel_size[0], p.kw = a_.kernel_size[1];
    p.oh = y.shape[2], p.ow = y.shape[3];
    p.sh = a_.strides[0], p.sw = a_.strides[1], p.ph = a_.padding[0], p.pw = a_.padding[1];
    p.dh = a_.dilation[0], p.dw = a_.dilation[1], p.groups = a_.groups;
    p.x = x.data.data();
    p.bias = b != nullptr ? b->data.data() : nullptr;
    p.y = y.data.data();
    p.epilogue = &epi_;
    // Depthwise and two-channel groups: the direct kernel
    // (fast/conv2d_depthwise.h), not a GEMM of M = O / groups rows and K =
    // (C / groups) KH KW per group.
    if (use_avx2(exec.isa) && depthwise_direct_ && depthwise::applies(p)) {
      depthwise::conv2d_avx2(p, w.data.data(), use_avx512_vnni(exec.isa), exec);
      return;
    }
    // The AVX2 path's padded copy must stay moderate (huge paddings take
    // the portable path).
    const int64_t buf = gemm::conv_buffer_elements(p);
    if (use_avx2(exec.isa) && buf <= std::max<int64_t>(int64_t{1} << 26, 4 * x.size())) {
      std::vector<int16_t> local;
      std::vector<int8_t> local8;
      std::vector<int32_t> local_corr;
      // A run at another level than the kernel's packs the weights itself.
      if (gemm::int8_gemm(exec.isa)) {
        if (!prepacked8_) {
          local8.resize(static_cast<size_t>(group_stride8_ * a_.groups));
          local_corr.resize(static_cast<size_t>(corr_stride_ * a_.groups));
          pack8(w, local8.data(), local_corr.data());
        }
        p.a8 = prepacked8_ ? packed8_.data() : local8.data();
        p.a8_corr = prepacked8_ ? corr8_.data() : local_corr.data();
        p.a8_group_stride = group_stride8_;
      } else {
        if (!prepacked_) {
          local.resize(static_cast<size_t>(group_stride_ * a_.groups));
          pack(w, local.data());
        }
        p.a = prepacked_ ? packed_.data() : local.data();
        p.a_group_stride = group_stride_;
      }
      gemm::conv2d_avx2(p, exec);
      return;
    }
    run_portable(p, w, exec);
  }

 private:
  void pack(const Tensor& w, int16_t* dst) const {
    for (int64_t g = 0; g < a_.groups; ++g)
      gemm::pack_a(w.data.data() + g * opg_ * k_count_, opg_, k_count_, k_count_,
                   dst + g * group_stride_);
  }

  void pack8(const Tensor& w, int8_t* dst, int32_t* corr) const {
    for (int64_t g = 0; g < a_.groups; ++g)
      gemm::pack_a8(w.data.data() + g * opg_ * k_count_, opg_, k_count_, k_count_,
                    dst + g * group_stride8_, corr + g * corr_stride_);
  }

  void run_portable(const gemm::ConvProblem& p, const Tensor& w, const Exec& exec) const {
    const int64_t icg = p.c / p.groups;
    const int64_t npix = p.oh * p.ow;
    const int32_t* wd = w.data.data();
    const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, npix * k_count_));
    exec.parallel_for(p.n * p.o, grain, [&](int64_t begin, int64_t end) {
      std::vector<int32_t> acc(static_cast<size_t>(npix));
      for (int64_t task = begin; task < end; ++task) {
        const int64_t n = task / p.o, o = task % p.o;
        const int64_t g = o / opg_;
        std::fill(acc.begin(), acc.end(), 0);
        for (int64_t c = 0; c < icg; ++c) {
          const int32_t* xplane = p.x + (n * p.c + g * icg + c) * p.h * p.w;
          for (int64_t u = 0; u < p.kh; ++u)
            for (int64_t v = 0; v < p.kw; ++v) {
              const int32_t wv = wd[((o * icg + c) * p.kh + u) * p.kw + v];
              if (wv == 0) continue;
              // Output columns q with 0 <= q sw + v dw - pw < W.
              const int64_t shift = v * p.dw - p.pw;
              const int64_t q0 = shift >= 0 ? 0 : ceil_div(-shift, p.sw);
              const int64_t q1 =
                  p.w - 1 - shift < 0 ? 0 : std::min(p.ow, (p.w - 1 - shift) / p.sw + 1);
              if (q0 >= q1) continue;
              for (int64_t r = 0; r < p.oh; ++r) {
                const int64_t ih = r * p.sh + u * p.dh - p.ph;
                if (ih < 0 || ih >= p.h) continue;
                const int32_t* xrow = xplane + ih * p.w;
                int32_t* arow = acc.data() + r * p.ow;
                if (p.sw == 1) {
                  const int32_t* xs = xrow + q0 + shift;  // in x: q0 + shift >= 0
                  for (int64_t q = 0; q < q1 - q0; ++q) arow[q0 + q] += wv * xs[q];
                } else {
                  for (int64_t q = q0; q < q1; ++q) arow[q] += wv * xrow[q * p.sw + shift];
                }
              }
            }
        }
        int32_t* yrow = p.y + (n * p.o + o) * npix;
        std::copy(acc.begin(), acc.end(), yrow);
        gemm::epilogue_row_portable(yrow, npix, p.bias != nullptr ? p.bias[o] : 0, nullptr, *p.epilogue);
      }
    });
  }

  Conv2dAttrs a_;
  Epilogue epi_;
  bool depthwise_direct_;  // !KernelOptions::depthwise_as_grouped_gemm
  int64_t k_count_ = 0, opg_ = 0, group_stride_ = 0, group_stride8_ = 0, corr_stride_ = 0;
  std::vector<int16_t> packed_;
  std::vector<int8_t> packed8_;  // the int8 path's (gemm::pack_a8 per group)
  std::vector<int32_t> corr8_;
  bool prepacked_ = false;   // packed_ holds the constant weights
  bool prepacked8_ = false;  // packed8_ and corr8_ do
};

}  // namespace

std::unique_ptr<NodeKernel> make_conv2d(const NodeSpec& spec, const KernelOptions& options) {
  return std::make_unique<Conv2dKernel>(spec, Epilogue{}, options);
}

std::unique_ptr<NodeKernel> make_conv2d_fused(const NodeSpec& spec, const Epilogue& epilogue,
                                              const KernelOptions& options) {
  return std::make_unique<Conv2dKernel>(spec, epilogue, options);
}

}  // namespace cvm::fast
