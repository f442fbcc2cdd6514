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
// In a fused run the program may hand x or the residual over, or have y
// handed over, as bytes u = v + 128 (fast/int8_handoff.h:
// KernelOptions::x_as_bytes, residual_as_bytes, y_as_bytes): the int8 GEMM's
// padded copy then copies bytes and its micro-kernels load and store bytes;
// any other path converts around itself.
//
// Portable path: per (n, o) task, int32 accumulation of one output plane,
// adding w[o, c, u, v] * x row segments (contiguous inner loops; the padding
// is handled by clamping the column range, never per element).
//
// Exactness: conv2d_c14 (|x|, |w| <= 127: int16 operands and vpmaddwd pair
// sums are exact) and conv2d_b2 (every partial sum, i.e. any subset of the K
// terms, and the biased sum are at most R(p_y) <= 2^31 - 1: int32
// accumulation in any order is exact). The fused variant applies the
// epilogue steps (cvm/epilogue.h) to the biased sum before storing; a
// residual add among them (the fast program's chains through an
// elemwise_add, at the int8 levels) reads the residual tensor passed after
// x, w and b: in the int8 micro-kernels' registers, on the other paths in a
// pass over y after the steps before it.
#include <memory>
#include <vector>

#include "cvm/ops/conv2d.h"
#include "fast/conv2d_depthwise.h"
#include "fast/epilogue.h"
#include "fast/gemm_common.h"
#include "fast/int8_handoff.h"

namespace cvm::fast {
namespace {

using gemm::ceil_div;

// The sizes of one application (no pointers yet): x shape xs, y shape ys.
gemm::ConvProblem problem_sizes(const Conv2dAttrs& a, const Shape& xs, const Shape& ys) {
  gemm::ConvProblem p;
  p.n = xs[0], p.c = xs[1], p.h = xs[2], p.w = xs[3];
  p.o = a.channels, p.kh = a.kernel_size[0], p.kw = a.kernel_size[1];
  p.oh = ys[2], p.ow = ys[3];
  p.sh = a.strides[0], p.sw = a.strides[1], p.ph = a.padding[0], p.pw = a.padding[1];
  p.dh = a.dilation[0], p.dw = a.dilation[1], p.groups = a.groups;
  return p;
}

enum class ConvPath { kDepthwise, kInt8Gemm, kInt16Gemm, kPortable };

// The path a problem takes at `level`.
ConvPath conv_path(const gemm::ConvProblem& p, Isa level, bool depthwise_direct) {
  // Depthwise and two-channel groups: the direct kernel
  // (fast/conv2d_depthwise.h), not a GEMM of M = O / groups rows and K =
  // (C / groups) KH KW per group.
  if (use_avx2(level) && depthwise_direct && depthwise::applies(p)) return ConvPath::kDepthwise;
  // The GEMM's padded copy must stay moderate (huge paddings take the
  // portable path).
  const int64_t x_size = p.n * p.c * p.h * p.w;
  if (use_avx2(level) && gemm::conv_buffer_elements(p) <= std::max<int64_t>(int64_t{1} << 26, 4 * x_size))
    return gemm::int8_gemm(level) ? ConvPath::kInt8Gemm : ConvPath::kInt16Gemm;
  return ConvPath::kPortable;
}

class Conv2dKernel final : public NodeKernel {
 public:
  Conv2dKernel(const NodeSpec& spec, Epilogue epilogue, const KernelOptions& options)
      : a_(std::any_cast<const Conv2dAttrs&>(spec.attrs)),
        epi_(std::move(epilogue)),
        before_residual_(epi_.before_residual()),
        from_residual_(epi_.from_residual()),
        depthwise_direct_(!options.depthwise_as_grouped_gemm),
        x_bytes_(options.x_as_bytes),
        y_bytes_(options.y_as_bytes),
        residual_bytes_(options.residual_as_bytes) {
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
    gemm::ConvProblem p = problem_sizes(a_, x.shape, y.shape);
    p.x = x.data.data();
    p.bias = b != nullptr ? b->data.data() : nullptr;
    p.y = y.data.data();
    p.epilogue = &epi_;
    const ConvPath path = conv_path(p, exec.isa, depthwise_direct_);
    // A residual add in the epilogue (the input after x, w and b): the int8
    // GEMM adds it in registers; the other paths stop before it and a pass
    // over y adds it and runs the steps after it.
    const Tensor* residual = epi_.has_residual() ? in[a_.use_bias ? 3 : 2] : nullptr;
    const bool residual_pass = residual != nullptr && path != ConvPath::kInt8Gemm;
    if (residual != nullptr && !residual_pass && residual_bytes_) p.residual8 = handoff_bytes(*residual);
    if (residual != nullptr && !residual_pass && !residual_bytes_) p.residual = residual->data.data();
    if (residual_pass) p.epilogue = &before_residual_;
    // The int8 hand-off (fast/int8_handoff.h): the int8 GEMM reads and
    // writes the bytes itself; the other paths (a run at another level than
    // the program's) convert.
    const bool bytes_direct = path == ConvPath::kInt8Gemm;
    std::vector<int32_t> x_values, y_values;
    if (x_bytes_ && bytes_direct) {
      p.x8 = handoff_bytes(x);
    } else if (x_bytes_) {
      x_values.resize(x.data.size());
      bytes_to_values(handoff_bytes(x), x.size(), x_values.data());
      p.x = x_values.data();
    }
    if (y_bytes_ && bytes_direct) {
      p.y8 = handoff_bytes(y);
    } else if (y_bytes_) {
      y_values.resize(y.data.size());
      p.y = y_values.data();
    }
    compute(path, p, w, exec);
    if (residual_pass) {
      int32_t* const yv = p.y;
      const int32_t* const r = residual->data.data();
      const uint8_t* const r8 = handoff_bytes(*residual);
      exec.parallel_for(y.size(), 4096, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
          yv[i] = from_residual_.apply(yv[i], residual_bytes_ ? int32_t{r8[i]} - 128 : r[i]);
      });
    }
    if (y_bytes_ && !bytes_direct) values_to_bytes(y_values.data(), y.size(), handoff_bytes(y));
  }

 private:
  void compute(ConvPath path, gemm::ConvProblem& p, const Tensor& w, const Exec& exec) const {
    switch (path) {
      case ConvPath::kDepthwise:
        depthwise::conv2d_avx2(p, w.data.data(), use_avx512_vnni(exec.isa), exec);
        return;
      case ConvPath::kInt8Gemm: {
        // A run at another level than the kernel's packs the weights itself.
        std::vector<int8_t> local8;
        std::vector<int32_t> local_corr;
        if (!prepacked8_) {
          local8.resize(static_cast<size_t>(group_stride8_ * a_.groups));
          local_corr.resize(static_cast<size_t>(corr_stride_ * a_.groups));
          pack8(w, local8.data(), local_corr.data());
        }
        p.a8 = prepacked8_ ? packed8_.data() : local8.data();
        p.a8_corr = prepacked8_ ? corr8_.data() : local_corr.data();
        p.a8_group_stride = group_stride8_;
        gemm::conv2d_avx2(p, exec);
        return;
      }
      case ConvPath::kInt16Gemm: {
        std::vector<int16_t> local;
        if (!prepacked_) {
          local.resize(static_cast<size_t>(group_stride_ * a_.groups));
          pack(w, local.data());
        }
        p.a = prepacked_ ? packed_.data() : local.data();
        p.a_group_stride = group_stride_;
        gemm::conv2d_avx2(p, exec);
        return;
      }
      case ConvPath::kPortable:
        run_portable(p, w, exec);
        return;
    }
  }

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
  Epilogue before_residual_, from_residual_;  // epi_ split at its residual add
  bool depthwise_direct_;  // !KernelOptions::depthwise_as_grouped_gemm
  bool x_bytes_, y_bytes_, residual_bytes_;  // KernelOptions::x_as_bytes, y_as_bytes, residual_as_bytes
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

bool conv2d_on_int8_gemm(const NodeSpec& spec, const KernelOptions& options) {
  const auto& a = std::any_cast<const Conv2dAttrs&>(spec.attrs);
  const gemm::ConvProblem p = problem_sizes(a, spec.inputs[0].shape, spec.outputs[0].shape);
  return conv_path(p, options.isa, !options.depthwise_as_grouped_gemm) == ConvPath::kInt8Gemm;
}

std::unique_ptr<NodeKernel> make_conv2d_fused(const NodeSpec& spec, const Epilogue& epilogue,
                                              const KernelOptions& options) {
  return std::make_unique<Conv2dKernel>(spec, epilogue, options);
}

}  // namespace cvm::fast
