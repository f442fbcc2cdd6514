// Directed cases of conv2d and dense, aimed at the blocking of the GEMM that
// serves both (fast/gemm_common*.{h,cc}): kMR = 4-row panels, 16-column
// tiles, 32-panel row blocks, K blocks of 320 pairs (int16 paths) or 320
// quads (int8 AVX-512 VNNI path: u = x + 128, minus 128 sum w); the conv2d
// copies (the compact copy of strided 1x1 convolutions, the padded copy
// filled per plane) and the direct depthwise kernel (fast/conv2d_depthwise*:
// plane borders, 8- and 16-lane vectors, channel multipliers, two channels per
// group). Every attribute variant (strides, padding, dilation, groups, windows
// entirely in the padding, huge strides), precisions 1 to 31 and operands at
// +-127 of every sign (the largest sums, wrapping intermediates of the int8
// path). The CUDA list adds the int8 tensor-core GEMM's launch shapes
// (cuda/gemm_int8.h: 128 x 128 block tiles, 32-deep slices, at least kMinRows
// = 8 rows per group, the channel padding of its NHWC copy, split-K) and the
// largest K the precision rule accepts with every operand at +-127.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "conv_case.h"
#include "directed/directed_cases.h"
#include "support.h"

namespace cvm::oracle {
namespace {

// A tensor of `shape` at precision p holding v, except -v at each flat
// index i with i % period == phase (period 0: v everywhere).
Tensor signs(const Shape& shape, int p, int32_t v, int64_t period = 0, int64_t phase = 0) {
  Tensor t = filled(shape, p, v);
  if (period > 0)
    for (auto i = static_cast<size_t>(phase); i < t.data.size(); i += static_cast<size_t>(period)) t.data[i] = -v;
  return t;
}

// conv2d of `k` on seeded inputs.
void conv(CaseList& c, const ConvCase& k) {
  c.add(conv_attrs(k), conv_inputs(k, [&](const Shape& s, int p) { return c.x(s, p); }));
}

// conv2d of `k` with every x at xv and w = signs(w's shape, wv, period,
// phase); the bias (if any) seeded.
void conv_filled(CaseList& c, const ConvCase& k, int32_t xv, int32_t wv, int64_t period = 0, int64_t phase = 0) {
  std::vector<Tensor> in{filled(conv_x_shape(k), k.px, xv), signs(conv_w_shape(k), k.pw_, wv, period, phase)};
  if (k.bias) in.push_back(c.x({k.o}, k.pb));
  c.add(conv_attrs(k), in);
}

// Two input channels per group, 3x3 kernels (each output sums both channels' taps).
ConvCase pairs(int64_t n, int64_t c, int64_t h, int64_t w, int64_t o, int64_t s, int64_t pad, bool bias) {
  ConvCase k{.n = n, .c = c, .h = h, .w = w, .o = o, .kh = 3, .kw = 3, .groups = c / 2, .bias = bias};
  k.sh = k.sw = s, k.ph = k.pw = pad;
  return k;
}

void conv2d_cases(CaseList& c) {
  c.group("size-1 dims");
  conv(c, {.n = 1, .c = 1, .h = 1, .w = 1, .o = 1, .kh = 1, .kw = 1});
  conv(c, {.n = 1, .c = 1, .h = 1, .w = 1, .o = 1, .kh = 1, .kw = 1, .bias = false});
  conv(c, {.n = 2, .c = 1, .h = 1, .w = 5, .o = 3, .kh = 1, .kw = 3});
  conv(c, {.n = 1, .c = 3, .h = 7, .w = 1, .o = 2, .kh = 3, .kw = 1});

  c.group("output pixels around the 16-column tile and 4-tile column blocks, within and across rows");
  for (int64_t w : {15, 16, 17, 63, 64, 65}) conv(c, {.n = 1, .c = 2, .h = 1, .w = w, .o = 5, .kh = 1, .kw = 1});
  for (int64_t w : {3, 5, 7, 8, 9})
    conv(c, {.n = 2, .c = 3, .h = 9, .w = w, .o = 4, .kh = 3, .kw = 3, .ph = 1, .pw = 1});

  c.group("output channels around the 4-row panel and 32-panel row blocks (127..129)");
  for (int64_t o : {1, 3, 4, 5, 8, 127, 128, 129}) conv(c, {.n = 1, .c = 3, .h = 5, .w = 6, .o = o, .kh = 2, .kw = 2});

  c.group("K = C KH KW around one K block (320 pairs = 640 terms), odd K");
  for (int64_t ch : {1, 511, 639, 640, 641, 1030, 1281})
    conv(c, {.n = 1, .c = ch, .h = 3, .w = 6, .o = 5, .kh = 1, .kw = 1});
  conv(c, {.n = 1, .c = 57, .h = 5, .w = 5, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1});  // K = 513

  c.group("strides, padding, dilation; windows entirely in the padding");
  conv(c, {.n = 1, .c = 3, .h = 11, .w = 13, .o = 4, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1});
  conv(c, {.n = 1, .c = 3, .h = 23, .w = 23, .o = 8, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3});
  conv(c, {.n = 2, .c = 2, .h = 10, .w = 12, .o = 3, .kh = 2, .kw = 3, .sh = 3, .sw = 1, .ph = 0, .pw = 2});
  conv(c, {.n = 1, .c = 2, .h = 9, .w = 20, .o = 3, .kh = 3, .kw = 2, .sh = 1, .sw = 3, .ph = 2, .pw = 0});
  conv(c, {.n = 1, .c = 2, .h = 12, .w = 12, .o = 3, .kh = 3, .kw = 3, .ph = 1, .pw = 2, .dh = 2, .dw = 3});
  conv(
      c,
      {.n = 1, .c = 2, .h = 8, .w = 9, .o = 3, .kh = 2, .kw = 2, .sh = 4, .sw = 5, .ph = 4, .pw = 5, .dh = 3, .dw = 2});
  conv(c, {.n = 1, .c = 1, .h = 2, .w = 2, .o = 2, .kh = 1, .kw = 1, .ph = 3, .pw = 2});
  // Huge padding with huge strides: the AVX2 path's padded copy would be
  // too large, so the portable path runs.
  conv(c, {.n = 1, .c = 1, .h = 1, .w = 1, .o = 2, .kh = 1, .kw = 1, .sh = 4096, .sw = 4096, .ph = 4096, .pw = 4096});
  conv(c, {.n = 1, .c = 1, .h = 3, .w = 2, .o = 1, .kh = 2, .kw = 2, .dh = 2, .dw = 1});

  c.group("groups (the grouped GEMM and the depthwise kernel)");
  conv(c, {.n = 1, .c = 4, .h = 6, .w = 7, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});
  conv(c, {.n = 2, .c = 6, .h = 9, .w = 9, .o = 6, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1, .groups = 6});
  conv(c, {.n = 1, .c = 8, .h = 5, .w = 18, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 8});
  conv(c, {.n = 1, .c = 6, .h = 4, .w = 4, .o = 9, .kh = 1, .kw = 1, .groups = 3, .bias = false});

  c.group("precisions 1 to 31; x = 127 and w = +-127 (the largest sums)");
  conv(c, {.n = 1, .c = 3, .h = 6, .w = 7, .o = 5, .kh = 3, .kw = 3, .px = 1, .pw_ = 8, .pb = 1});
  conv(c, {.n = 1, .c = 3, .h = 6, .w = 7, .o = 5, .kh = 3, .kw = 3, .px = 2, .pw_ = 1, .pb = 2});
  conv(c, {.n = 1, .c = 3, .h = 6, .w = 7, .o = 5, .kh = 3, .kw = 3, .px = 8, .pw_ = 8, .pb = 30});
  conv(c, {.n = 1, .c = 3, .h = 6, .w = 7, .o = 5, .kh = 3, .kw = 3, .px = 4, .pw_ = 7, .pb = 31});
  const ConvCase wide{.n = 1, .c = 64, .h = 6, .w = 6, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .pb = 25};
  conv_filled(c, wide, 127, -127, 3, 0);  // w = 127 at every third element, else -127
  conv_filled(c, wide, 127, -127);

  c.group("larger cases split over threads");
  conv(c, {.n = 2, .c = 16, .h = 30, .w = 29, .o = 24, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  conv(c, {.n = 1, .c = 16, .h = 33, .w = 33, .o = 32, .kh = 1, .kw = 1, .sh = 2, .sw = 2});

  // ---- the int8 path (AVX-512 VNNI; the int16 paths at the other levels) ----
  c.group("int8: x, w = +-127 of every sign over padded 3x3 windows (padding cells: u = 128), one and two K blocks");
  for (int64_t ch : {64, 160})  // K = 576 and 1440
    for (int32_t xv : {-127, 127})
      for (int32_t wv : {-127, 127})
        conv_filled(c, {.n = 1, .c = ch, .h = 6, .w = 7, .o = 12, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .pb = 25}, xv,
                    wv);
  conv_filled(c, {.n = 2, .c = 64, .h = 5, .w = 5, .o = 8, .kh = 3, .kw = 3, .ph = 1, .pw = 1}, 127, 127, 2, 1);

  c.group("int8: K = 1 .. 9 (the last quad's padding terms have w = 0 and must add 0)");
  for (int64_t ch = 1; ch <= 9; ++ch) {
    conv_filled(c, {.n = 1, .c = ch, .h = 3, .w = 17, .o = 5, .kh = 1, .kw = 1}, -127, 127);
    conv_filled(c, {.n = 1, .c = ch, .h = 3, .w = 17, .o = 5, .kh = 1, .kw = 1}, 127, -127, 2, 1);
    conv(c, {.n = 1, .c = ch, .h = 4, .w = 16, .o = 12, .kh = 1, .kw = 1});
  }
  // K = 3 over padding.
  conv_filled(c, {.n = 1, .c = 1, .h = 4, .w = 9, .o = 3, .kh = 1, .kw = 3, .pw = 1}, -127, -127);

  c.group("int8: K around 320-quad blocks (1279, 1280, 1281) and three blocks (2561)");
  for (int64_t ch : {1279, 1280, 1281, 2561}) {
    conv(c, {.n = 1, .c = ch, .h = 2, .w = 9, .o = 13, .kh = 1, .kw = 1});
    conv_filled(c, {.n = 1, .c = ch, .h = 2, .w = 8, .o = 8, .kh = 1, .kw = 1}, -127, 127);
  }

  c.group("int8: windows partly or entirely in the padding, weights all nonzero (padding cells in the correction)");
  conv_filled(c, {.n = 1, .c = 3, .h = 2, .w = 3, .o = 4, .kh = 3, .kw = 3, .ph = 2, .pw = 2}, 127, -127);
  conv_filled(c, {.n = 1, .c = 1, .h = 2, .w = 2, .o = 2, .kh = 1, .kw = 1, .ph = 3, .pw = 2}, -127, 127);
  conv_filled(
      c,
      {.n = 1, .c = 5, .h = 7, .w = 9, .o = 16, .kh = 5, .kw = 5, .sh = 2, .sw = 3, .ph = 4, .pw = 4, .dh = 2, .dw = 1},
      -127, -127);
  conv(c, {.n = 2, .c = 7, .h = 6, .w = 20, .o = 12, .kh = 3, .kw = 3, .sh = 1, .sw = 2, .ph = 2, .pw = 3});

  c.group("int8: output channels per group in panel runs of 1 to 3 (4, 8, 12, 16 = 2 + 2, 20, 28) and partial panels");
  for (int64_t opg : {1, 4, 7, 8, 12, 16, 20, 28}) {
    conv(c, {.n = 1, .c = 6, .h = 5, .w = 8, .o = 2 * opg, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});
    conv_filled(c, {.n = 1, .c = 6, .h = 4, .w = 4, .o = 3 * opg, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 3}, 127,
                -127, 2, 1);
  }
  conv_filled(c, {.n = 2, .c = 8, .h = 9, .w = 9, .o = 8, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 8}, -127, 127);

  c.group("int8: small p_x, long K: sum u w = S + 128 W leaves int32 (128 127 140000 > 2^31), S does not");
  conv_filled(c, {.n = 1, .c = 140000, .h = 1, .w = 2, .o = 5, .kh = 1, .kw = 1, .px = 2}, 1, 127);
  conv_filled(c, {.n = 1, .c = 140000, .h = 1, .w = 2, .o = 5, .kh = 1, .kw = 1, .px = 2}, -1, -127);
  conv_filled(c, {.n = 1, .c = 140000, .h = 1, .w = 1, .o = 4, .kh = 1, .kw = 1, .px = 1}, 0, 127);

  // ---- the conv2d copies (fast/gemm_common_avx2.cc, ConvBuffer) ----
  c.group("strided 1x1 without padding: the compact copy");
  // Output widths around the 16-pixel tile, tiles that straddle output rows,
  // odd input sizes (the last row / column of x unread), unequal strides,
  // output channels around the 4-row panel.
  for (int64_t w : {13, 15, 16, 17, 31, 33, 34})
    for (int64_t s : {2, 3}) conv(c, {.n = 1, .c = 5, .h = 9, .w = w, .o = 6, .kh = 1, .kw = 1, .sh = s, .sw = s});
  conv(c, {.n = 2, .c = 3, .h = 8, .w = 11, .o = 5, .kh = 1, .kw = 1, .sh = 2, .sw = 1});
  conv(c, {.n = 2, .c = 3, .h = 11, .w = 8, .o = 5, .kh = 1, .kw = 1, .sh = 1, .sw = 2});
  conv(c, {.n = 1, .c = 7, .h = 10, .w = 19, .o = 9, .kh = 1, .kw = 1, .sh = 2, .sw = 3, .bias = false});
  // ResNet's downsampling shape, scaled down: 2 images, K a multiple of 4
  // and not, groups; precisions 8 and 2.
  conv(c, {.n = 2, .c = 64, .h = 14, .w = 14, .o = 32, .kh = 1, .kw = 1, .sh = 2, .sw = 2});
  conv(c, {.n = 1, .c = 66, .h = 14, .w = 14, .o = 36, .kh = 1, .kw = 1, .sh = 2, .sw = 2});
  conv(c, {.n = 1, .c = 12, .h = 9, .w = 9, .o = 8, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .groups = 4});
  conv(c, {.n = 1, .c = 40, .h = 12, .w = 12, .o = 8, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .px = 8, .pw_ = 8});
  conv(c, {.n = 1, .c = 40, .h = 12, .w = 12, .o = 8, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .px = 2, .pw_ = 8});

  c.group("1x1 that keep the padded copy: padding, or stride 1");
  conv(c, {.n = 1, .c = 4, .h = 9, .w = 9, .o = 5, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .ph = 1, .pw = 1});
  conv(c, {.n = 1, .c = 4, .h = 9, .w = 9, .o = 5, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .ph = 0, .pw = 2});
  conv(c, {.n = 1, .c = 4, .h = 5, .w = 37, .o = 5, .kh = 1, .kw = 1});

  c.group("the padded copy filled per plane: a 7x7 stride-2 stem (K = 147), paddings, stride phases 1 to 3");
  conv(c, {.n = 1, .c = 3, .h = 23, .w = 23, .o = 8, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3});
  conv(c, {.n = 2, .c = 3, .h = 20, .w = 36, .o = 6, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3});
  for (int64_t s : {1, 2, 3})
    for (int64_t p : {0, 1, 2})
      conv(c, {.n = 2, .c = 3, .h = 10, .w = 17, .o = 5, .kh = 3, .kw = 3, .sh = s, .sw = s, .ph = p, .pw = p});
  conv(c, {.n = 1, .c = 2, .h = 6, .w = 9, .o = 4, .kh = 3, .kw = 2, .sh = 1, .sw = 2, .ph = 2, .pw = 0});
  conv(c, {.n = 1, .c = 2, .h = 9, .w = 6, .o = 4, .kh = 2, .kw = 3, .sh = 3, .sw = 1, .ph = 0, .pw = 2});

  c.group("tiles finished one at a time: partial last tiles, row blocks, K over one block, panel runs of 1 to 9");
  // int16: bias and epilogue per full 16-column tile, partial tiles through
  // the row routines; int8: in the micro-kernel's registers, partial tiles
  // and panels through its scratch tile. The tile is finished after the
  // last K block only.
  for (int64_t w : {16, 17, 20, 21, 31}) conv(c, {.n = 1, .c = 3, .h = 2, .w = w, .o = 7, .kh = 1, .kw = 1});
  conv(c, {.n = 1, .c = 2, .h = 8, .w = 8, .o = 130, .kh = 1, .kw = 1});
  conv(c, {.n = 1, .c = 80, .h = 5, .w = 7, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  conv(c, {.n = 1, .c = 80, .h = 5, .w = 7, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .bias = false});
  for (int64_t o : {4, 8, 12, 16, 17, 20, 24, 28, 35, 36})
    conv(c, {.n = 1, .c = 3, .h = 2, .w = 17, .o = o, .kh = 1, .kw = 1});

  // ---- the direct depthwise kernel (groups == C, and two channels per group) ----
  c.group("depthwise: the plane buffer's borders: strides 1, 2, paddings 0 to 2, kernels 1, 3, 5");
  for (int64_t s : {1, 2})
    for (int64_t pad : {0, 1, 2})
      for (int64_t ks : {1, 3, 5})
        conv(c, depthwise({.c = 3, .h = 11, .w = 13, .kh = ks, .kw = ks, .sh = s, .sw = s, .ph = pad, .pw = pad}));

  c.group("depthwise: output widths around 8-lane halves, 16-lane vectors and 4-vector blocks, strides 1 and 2");
  for (int64_t w : {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65})
    conv(c, depthwise({.c = 2, .h = 4, .w = w, .ph = 1, .pw = 1}));
  for (int64_t w : {2, 15, 16, 17, 31, 32, 33, 34, 35, 66, 130})
    conv(c, depthwise({.c = 2, .h = 5, .w = w, .sh = 2, .sw = 2, .ph = 1, .pw = 1}));

  c.group("depthwise: other strides and dilations, even and odd kernel heights, a 1x1 image, huge padding");
  conv(c, depthwise({.c = 5, .h = 12, .w = 20, .sh = 3, .sw = 3, .ph = 2, .pw = 1}));
  conv(c, depthwise({.c = 4, .h = 10, .w = 19, .sh = 2, .sw = 1, .ph = 1, .pw = 0}));
  conv(c, depthwise({.c = 4, .h = 10, .w = 19, .sh = 1, .sw = 2, .ph = 0, .pw = 2}));
  conv(c, depthwise({.c = 3, .h = 12, .w = 21, .ph = 2, .pw = 2, .dh = 2, .dw = 2}));
  conv(c,
       depthwise({.c = 3, .h = 13, .w = 22, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 3, .dh = 3, .dw = 2}));
  conv(c, depthwise({.c = 2, .h = 9, .w = 11, .kh = 2, .kw = 4, .ph = 0, .pw = 1}));  // even kernel height
  conv(c, depthwise({.c = 2, .h = 9, .w = 11, .kh = 5, .kw = 1, .ph = 2, .pw = 0}));  // odd height, one column
  conv(c, depthwise({.c = 2, .h = 9, .w = 11, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3}));
  conv(c, depthwise({.c = 2, .h = 2, .w = 2, .kh = 1, .kw = 1, .ph = 3, .pw = 2}));  // windows in the padding
  conv(c, depthwise({.c = 3, .h = 1, .w = 1, .ph = 1, .pw = 1}));
  // The buffer would be mostly padding: the other paths run.
  conv(c, depthwise({.c = 2, .h = 1, .w = 1, .kh = 1, .kw = 1, .sh = 4096, .sw = 4096, .ph = 4096, .pw = 4096}));

  c.group("depthwise: channels, multipliers 1 to 3, batches, bias, several tasks per thread");
  for (int64_t ch : {1, 7, 13})
    for (int64_t mult : {1, 2, 3})
      conv(c, depthwise({.n = 2, .c = ch, .h = 6, .w = 10, .mult = mult, .bias = ch != 7}));
  conv(c, depthwise({.n = 3, .c = 37, .h = 14, .w = 14, .sh = 2, .sw = 2, .bias = false}));
  conv(c, depthwise({.n = 1, .c = 24, .h = 28, .w = 30, .mult = 2}));

  c.group("two input channels per group: column pairs, several bands");
  conv(c, pairs(1, 2, 7, 9, 1, 1, 1, true));
  conv(c, pairs(2, 6, 9, 17, 6, 1, 0, false));
  conv(c, pairs(1, 6, 11, 20, 9, 2, 1, true));  // 3 outputs per group
  conv(c, pairs(1, 10, 13, 35, 5, 2, 2, true));
  conv(c, pairs(2, 4, 30, 33, 8, 1, 1, true));

  c.group("depthwise precisions; x, w = +-127 (the int16 halves' extremes), K = 225, a 30-bit bias, strides 1 and 2");
  conv(c, depthwise({.c = 3, .h = 7, .w = 9, .px = 1, .pw_ = 8, .pb = 1}));
  conv(c, depthwise({.c = 3, .h = 7, .w = 9, .px = 8, .pw_ = 1, .pb = 2}));
  conv(c, depthwise({.c = 3, .h = 7, .w = 9, .px = 4, .pw_ = 7, .pb = 31}));
  for (int64_t s : {1, 2})  // stride 2: the column-pair layout packs x to int16
    for (int32_t xv : {127, -127})
      for (int32_t wv : {127, -127})
        conv_filled(
            c,
            depthwise(
                {.n = 2, .c = 3, .h = 17, .w = 19, .kh = 15, .kw = 15, .sh = s, .sw = s, .ph = 7, .pw = 7, .pb = 30}),
            xv, wv, 5, 4);

  // The 256-bit int8 micro-kernel (AVX-VNNI, fast/gemm_i8_micro.h): a tile's
  // 16 columns are two 8-lane vectors, and it runs one 4-row panel per call.
  c.group("int8 at 256 bits: output pixels around the 8-lane halves, output channels one panel at a time");
  for (int64_t w : {1, 7, 8, 9, 33}) conv(c, {.n = 1, .c = 3, .h = 1, .w = w, .o = 5, .kh = 1, .kw = 1});
  for (int64_t o : {2, 9}) conv(c, {.n = 1, .c = 4, .h = 3, .w = 6, .o = o, .kh = 2, .kw = 2});
  conv(c, {.n = 1, .c = 6, .h = 4, .w = 5, .o = 10, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});
  c.group("int8 at 256 bits: wrapping intermediates in both halves of a tile (9 pixels)");
  conv_filled(c, {.n = 1, .c = 140000, .h = 1, .w = 9, .o = 2, .kh = 1, .kw = 1, .px = 2}, 1, 127);
  conv_filled(c, {.n = 1, .c = 140000, .h = 1, .w = 9, .o = 2, .kh = 1, .kw = 1, .px = 2}, -1, -127);

  if (!c.with_cuda()) return;
  // ---- CUDA (cuda/gemm_int8.h): the tensor-core path needs kMinRows = 8
  // output channels per group; 128 x 128 block tiles, 32-deep slices ----
  c.group("CUDA: 1x1 and size-1 dims with 8 and more output channels");
  conv(c, {.n = 1, .c = 1, .h = 1, .w = 1, .o = 8, .kh = 1, .kw = 1, .bias = false});
  conv(c, {.n = 2, .c = 16, .h = 7, .w = 9, .o = 32, .kh = 1, .kw = 1});
  conv(c, {.n = 1, .c = 3, .h = 7, .w = 1, .o = 12, .kh = 3, .kw = 1});

  c.group("CUDA: strides, padding, dilation on the tensor-core path; windows in the padding, huge strides");
  conv(c, {.n = 2, .c = 3, .h = 9, .w = 8, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  conv(c, {.n = 1, .c = 3, .h = 11, .w = 13, .o = 8, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1});
  conv(c, {.n = 1, .c = 3, .h = 23, .w = 23, .o = 16, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3});
  conv(c, {.n = 2, .c = 2, .h = 10, .w = 12, .o = 9, .kh = 2, .kw = 3, .sh = 3, .sw = 1, .ph = 0, .pw = 2});
  conv(c, {.n = 1, .c = 2, .h = 9, .w = 20, .o = 10, .kh = 3, .kw = 2, .sh = 1, .sw = 3, .ph = 2, .pw = 0});
  conv(c, {.n = 1, .c = 2, .h = 12, .w = 12, .o = 8, .kh = 3, .kw = 3, .ph = 2, .pw = 2, .dh = 2, .dw = 2});
  conv(c, {.n = 1, .c = 2, .h = 12, .w = 12, .o = 11, .kh = 3, .kw = 3, .ph = 1, .pw = 2, .dh = 2, .dw = 3});
  conv(
      c,
      {.n = 1, .c = 2, .h = 8, .w = 9, .o = 8, .kh = 2, .kw = 2, .sh = 4, .sw = 5, .ph = 4, .pw = 5, .dh = 3, .dw = 2});
  conv(c, {.n = 1, .c = 3, .h = 3, .w = 2, .o = 8, .kh = 2, .kw = 2, .dh = 2, .dw = 1, .bias = false});
  conv(c, {.n = 1, .c = 1, .h = 2, .w = 2, .o = 8, .kh = 1, .kw = 1, .ph = 3, .pw = 2});
  conv(c, {.n = 1, .c = 1, .h = 1, .w = 1, .o = 8, .kh = 1, .kw = 1, .sh = 4096, .sw = 4096, .ph = 4096, .pw = 4096});

  c.group("CUDA: groups of 8 and more rows (grid z), depthwise with a multiplier of 8");
  conv(c, {.n = 1, .c = 4, .h = 6, .w = 7, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});
  conv(c,
       {.n = 2, .c = 8, .h = 9, .w = 10, .o = 64, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1, .groups = 4});
  conv(c, {.n = 1, .c = 3, .h = 7, .w = 6, .o = 24, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 3});

  c.group("CUDA: K around the 32-deep slices (1, 31, 32, 33, 63, 65, 513, 1281, 30)");
  for (int64_t ch : {1, 31, 32, 33, 63, 65, 1281}) conv(c, {.n = 1, .c = ch, .h = 3, .w = 6, .o = 9, .kh = 1, .kw = 1});
  conv(c, {.n = 1, .c = 57, .h = 5, .w = 5, .o = 10, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  conv(c, {.n = 1, .c = 3, .h = 6, .w = 6, .o = 8, .kh = 2, .kw = 5});

  c.group("CUDA: output channels and pixels around the 128 x 128 block tile");
  for (int64_t o : {7, 9, 16, 257}) conv(c, {.n = 1, .c = 3, .h = 5, .w = 6, .o = o, .kh = 2, .kw = 2});
  for (int64_t w : {127, 128, 129, 255, 256, 257}) conv(c, {.n = 1, .c = 2, .h = 1, .w = w, .o = 8, .kh = 1, .kw = 1});
  conv(c, {.n = 3, .c = 2, .h = 8, .w = 8, .o = 8, .kh = 1, .kw = 1});  // 192 pixels over 3 images
  conv(c, {.n = 2, .c = 3, .h = 9, .w = 7, .o = 130, .kh = 3, .kw = 3, .ph = 1, .pw = 1});

  c.group("CUDA: larger cases, several tiles and groups in the grid");
  conv(c, {.n = 2, .c = 64, .h = 14, .w = 14, .o = 64, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  conv(c, {.n = 1, .c = 3, .h = 56, .w = 56, .o = 64, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3});
  conv(c, {.n = 4, .c = 128, .h = 7, .w = 7, .o = 256, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .bias = false});

  c.group("CUDA: group channels padded to 4, 8 or a multiple of 16 (16 but not 32: a slice straddles two windows)");
  for (int64_t ch : {4, 5, 8, 12, 16, 20, 48, 80})
    conv(c, {.n = 2, .c = ch, .h = 6, .w = 7, .o = 24, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  conv(c, {.n = 1, .c = 10, .h = 5, .w = 9, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});  // ICG 5 -> 8
  conv(c, {.n = 1, .c = 96, .h = 5, .w = 5, .o = 32, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});  // ICG 48

  c.group("CUDA: split-K (small problems, long depth): ResNet-18's last stages at batch 1, 1x1 with a bias");
  conv(c, {.n = 1, .c = 512, .h = 7, .w = 7, .o = 512, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .pb = 20});
  conv(c, {.n = 1, .c = 256, .h = 14, .w = 14, .o = 256, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .bias = false});
  conv(c, {.n = 1, .c = 1024, .h = 3, .w = 3, .o = 72, .kh = 1, .kw = 1, .pb = 30});

  c.group("CUDA: precisions 1 to 31 with 9 output channels");
  conv(c, {.n = 1, .c = 3, .h = 6, .w = 7, .o = 9, .kh = 3, .kw = 3, .px = 1, .pw_ = 8, .pb = 1});
  conv(c, {.n = 1, .c = 3, .h = 6, .w = 7, .o = 9, .kh = 3, .kw = 3, .px = 2, .pw_ = 1, .pb = 2});
  conv(c, {.n = 1, .c = 3, .h = 6, .w = 7, .o = 9, .kh = 3, .kw = 3, .px = 8, .pw_ = 8, .pb = 30});
  conv(c, {.n = 1, .c = 3, .h = 6, .w = 7, .o = 9, .kh = 3, .kw = 3, .px = 4, .pw_ = 7, .pb = 31});

  c.group("CUDA: every x and w at +-127 with the largest K the precision rule accepts");
  // Every term is +-16129 with one sign, so every partial sum is as large as
  // conv2d_b2 allows: without a bias p_y = 16 + bits(K) <= 32, K <= 65535
  // (C = 7281: K = 65529); with a bias of precision 31 at +-(2^30 - 1),
  // K <= 32767 (C = 3640: K = 32760). The centre output of a 3x3, padding-1
  // window on a 3x3 image reads all K terms.
  const auto extreme = [&c](int64_t ch, bool bias, int32_t xv, int32_t wv, int32_t bv) {
    const ConvCase k{
        .n = 1, .c = ch, .h = 3, .w = 3, .o = 8, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .bias = bias, .pb = 31};
    std::vector<Tensor> in{filled(conv_x_shape(k), 8, xv), filled(conv_w_shape(k), 8, wv)};
    if (bias) in.push_back(filled({k.o}, 31, bv));
    c.add(conv_attrs(k), in);
  };
  constexpr int32_t kB = (int32_t{1} << 30) - 1;
  extreme(7281, false, 127, 127, 0);
  extreme(7281, false, 127, -127, 0);
  extreme(7281, false, -127, -127, 0);
  extreme(3640, true, 127, 127, kB);
  extreme(3640, true, -127, 127, -kB);
  extreme(3640, true, 127, 127, -kB);
  // Mixed signs: every x at -127, w = -127 at every third element, else 127.
  conv_filled(c, {.n = 1, .c = 64, .h = 6, .w = 6, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .pb = 25}, -127, 127, 3,
              0);
}

AttrMap dense_attrs(int64_t units, bool bias) {
  return {{"units", std::to_string(units)}, {"use_bias", bias ? "1" : "0"}};
}

// dense of x (m, k) at precision px, w (units, k) at pw and (with bias) b
// (units) at pb, seeded.
void dense(CaseList& c, int64_t m, int64_t k, int64_t units, bool bias, int px = 8, int pw = 8, int pb = 8) {
  std::vector<Tensor> in{c.x({m, k}, px), c.x({units, k}, pw)};
  if (bias) in.push_back(c.x({units}, pb));
  c.add(dense_attrs(units, bias), in);
}

// dense with every x at xv (precision px), every w at wv and a seeded bias.
void dense_filled(CaseList& c, int64_t m, int64_t k, int64_t units, int32_t xv, int32_t wv, int px = 8) {
  c.add({{"units", std::to_string(units)}}, {filled({m, k}, px, xv), filled({units, k}, 8, wv), c.x({units}, 8)});
}

void dense_cases(CaseList& c) {
  c.group("size-1 dims");
  dense(c, 1, 1, 1, true);
  dense(c, 1, 1, 1, false);
  dense(c, 3, 1, 5, true);
  dense(c, 1, 7, 1, true);

  c.group("rows around the 4-row panel, units around the 16-column tile and 4-tile blocks");
  for (int64_t m : {1, 3, 4, 5, 9})
    for (int64_t units : {15, 16, 17, 63, 64, 65}) dense(c, m, 13, units, m % 2 == 1);
  c.group("K around one K block (320 pairs), 32-panel row blocks");
  for (int64_t k : {2, 3, 639, 640, 641, 1281}) dense(c, 5, k, 17, true);
  dense(c, 129, 9, 20, true);

  c.group("precisions 1 to 31; x = -127 and w = 127 (the largest sums)");
  dense(c, 3, 40, 18, true, 1, 8, 1);
  dense(c, 3, 40, 18, true, 8, 1, 8);
  dense(c, 3, 40, 18, true, 8, 8, 31);
  dense(c, 3, 40, 18, true, 2, 3, 30);
  dense_filled(c, 5, 300, 20, -127, 127);

  c.group("larger cases split over threads");
  dense(c, 64, 300, 200, true);
  dense(c, 2, 512, 1000, true, 8, 8, 12);

  // ---- the int8 path (AVX-512 VNNI; the int16 paths at the other levels) ----
  c.group("int8: x, w = +-127 of every sign, one and two K blocks (K = 640, 1281)");
  for (int32_t xv : {-127, 127})
    for (int32_t wv : {-127, 127}) {
      dense_filled(c, 5, 1281, 20, xv, wv);
      dense_filled(c, 1, 640, 17, xv, wv);
    }

  c.group("int8: K = 1 .. 9 (the last quad's padding terms)");
  for (int64_t k = 1; k <= 9; ++k) {
    dense_filled(c, 3, k, 17, -127, -127);
    dense(c, 4, k, 16, true);
  }

  c.group("int8: K around 320-quad blocks (1279, 1280, 1281) and three blocks (2561)");
  for (int64_t k : {1279, 1280, 1281, 2561}) {
    dense(c, 6, k, 33, true);
    dense_filled(c, 4, k, 16, 127, -127);
  }

  c.group("int8: rows in panel runs of 1 to 3 and partial panels");
  for (int64_t m : {1, 4, 8, 12, 13, 16, 20, 28, 29}) dense(c, m, 70, 35, true);

  c.group("int8: small p_x, long K: sum u w leaves int32, the result does not");
  dense_filled(c, 2, 140000, 3, 1, 127, 2);
  dense_filled(c, 2, 140000, 3, -1, -127, 2);
  dense_filled(c, 5, 140000, 17, 0, -127, 1);

  c.group("tiles finished in the micro-kernel: rows in panel runs of 1 to 4, units around the tile, K 5 and 8");
  for (int64_t m : {1, 4, 5, 16, 20, 36})
    for (int64_t units : {15, 16, 17, 33})
      for (int64_t k : {5, 8})
        for (bool bias : {true, false}) dense(c, m, k, units, bias);
  dense(c, 9, 1290, 17, true, 4, 4, 8);  // K over a 320-quad block

  // The 256-bit int8 micro-kernel (AVX-VNNI): 8-lane halves of a tile, one
  // panel per call.
  c.group("int8 at 256 bits: units around the 8-lane halves of a tile; rows one panel at a time");
  for (int64_t units : {1, 2, 7, 8, 9, 12, 23, 24, 25, 31, 32, 33}) dense(c, 3, 37, units, true);
  for (int64_t m : {2, 3, 5, 6, 7, 9}) dense(c, m, 21, 16, true);
  c.group("int8 at 256 bits: x, w = +-127 with w alternating in sign along K; wrapping in both halves");
  for (int32_t xv : {-127, 127})
    for (int32_t wv : {-127, 127})
      c.add({{"units", "16"}}, {filled({4, 67}, 8, xv), signs({16, 67}, 8, wv, 2, 1), c.x({16}, 8)});
  dense_filled(c, 2, 140000, 11, 1, 127, 2);
  dense_filled(c, 1, 140000, 9, 0, -127, 1);

  if (!c.with_cuda()) return;
  // ---- CUDA: units are the GEMM rows, rows of x its columns ----
  c.group("CUDA: size-1 dims with 8 and more units");
  dense(c, 1, 1, 8, true);
  dense(c, 1, 7, 16, false);

  c.group("CUDA: units and rows of x around the 128 x 128 block tile; K around the 32-deep slices");
  for (int64_t units : {7, 8, 9, 127, 128, 129, 257})
    for (int64_t m : {1, 5}) dense(c, m, 13, units, m == 1);
  for (int64_t m : {127, 128, 129, 257}) dense(c, m, 20, 10, true);
  for (int64_t k : {31, 32, 33, 63, 64, 65, 513}) dense(c, 5, k, 17, true);

  c.group("CUDA: larger cases; split-K (one row, long depth)");
  dense(c, 64, 512, 1000, true, 8, 8, 12);
  dense(c, 300, 100, 200, false);
  dense(c, 1, 4096, 64, true, 8, 8, 24);

  c.group("CUDA: every x and w at +-127 with the largest K (as for conv2d: 65535, 32767 with a 31-bit bias)");
  const auto extreme = [&c](int64_t k, bool bias, int32_t xv, int32_t wv, int32_t bv) {
    std::vector<Tensor> in{filled({3, k}, 8, xv), filled({9, k}, 8, wv)};
    if (bias) in.push_back(filled({9}, 31, bv));
    c.add(dense_attrs(9, bias), in);
  };
  constexpr int32_t kB = (int32_t{1} << 30) - 1;
  extreme(65535, false, 127, 127, 0);
  extreme(65535, false, -127, 127, 0);
  extreme(65535, false, -127, -127, 0);
  extreme(32767, true, 127, 127, kB);
  extreme(32767, true, 127, -127, -kB);
  extreme(32767, true, -127, -127, -kB);
}

}  // namespace

const std::vector<OpCaseList>& nn_case_lists() {
  static const std::vector<OpCaseList> lists{{"conv2d", conv2d_cases}, {"dense", dense_cases}};
  return lists;
}

}  // namespace cvm::oracle
