#include "tools/quantize/float_kernels.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "tools/quantize/float_kernels_micro.h"

namespace cvm::quant {
namespace float_gemm {

void micro_portable(int64_t kc, const double* a, const double* b, double* c, int64_t ldc) {
  double acc[kMr][kNr];
  for (int64_t i = 0; i < kMr; ++i)
    for (int64_t j = 0; j < kNr; ++j) acc[i][j] = c[i * ldc + j];
  for (int64_t k = 0; k < kc; ++k)
    for (int64_t i = 0; i < kMr; ++i) {
      const double ai = a[k * kMr + i];
      for (int64_t j = 0; j < kNr; ++j) acc[i][j] += ai * b[k * kNr + j];
    }
  for (int64_t i = 0; i < kMr; ++i)
    for (int64_t j = 0; j < kNr; ++j) c[i * ldc + j] = acc[i][j];
}

}  // namespace float_gemm

namespace {

using float_gemm::kMr;
using float_gemm::kNr;

// Cache blocking: a kKc x kMr sliver of packed A (12 KiB) stays in L1 while
// it meets every column panel of a kKc x kNc block of packed B (256 KiB,
// L2). Blocking k keeps the order of the sum: the double accumulators go
// to the tile buffer between blocks, which is exact.
constexpr int64_t kKc = 256;
constexpr int64_t kNc = 128;
static_assert(kNc % kNr == 0, "column tiles are whole panels");

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

bool cpu_has_avx2_fma() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool has = __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("fma") != 0;
  return has;
#else
  return false;
#endif
}

float_gemm::MicroKernel micro_for(fast::Isa isa) {
  if (isa >= fast::Isa::kAvx2 && cpu_has_avx2_fma()) return &float_gemm::micro_avx2;
  return &float_gemm::micro_portable;
}

// C (m x n) = bias (per row) + A (m x k, floats, row stride lda) times B
// (k x n), where B and the placement of C come from GemmOperands.
struct GemmShape {
  int64_t m = 0, n = 0, k = 0;
  const float* a = nullptr;
  int64_t lda = 0;
  const float* bias = nullptr;
};

class GemmOperands {
 public:
  virtual ~GemmOperands() = default;
  /// Packs B rows [k0, k1) and columns [j0, j1) as column panels of kNr:
  /// dst[(jj / kNr) * (k1 - k0) * kNr + (k - k0) * kNr + jj % kNr] =
  /// B[k][j0 + jj], zero for jj >= j1 - j0 up to the next whole panel.
  virtual void pack_b(int64_t k0, int64_t k1, int64_t j0, int64_t j1, double* dst) const = 0;
  /// Writes C rows [r0, r1), columns [j0, j1) from tile (row r at
  /// tile + (r - r0) * ldc), rounded to float.
  virtual void store_c(int64_t r0, int64_t r1, int64_t j0, int64_t j1, const double* tile, int64_t ldc) const = 0;
};

// Scratch that lives as long as its thread: the packed operands of one
// layer reach tens of MB, and fresh allocations for every call cost more
// in page faults than the packing itself.
double* scratch(std::vector<double>& buffer, int64_t size) {
  if (static_cast<int64_t>(buffer.size()) < size) buffer.resize(static_cast<size_t>(size));
  return buffer.data();
}

// A as row panels of kMr, each panel k-major: a[(p * k + kk) * kMr + i] is
// A[p * kMr + i][kk] (zero past row m), so the k-block [k0, k1) of panel p
// starts at (p * k + k0) * kMr. Panels split over the pool's threads.
const double* pack_a(const GemmShape& s, const FloatKernelExec& exec) {
  thread_local std::vector<double> buffer;
  const int64_t panels = ceil_div(s.m, kMr);
  double* a = scratch(buffer, panels * kMr * s.k);
  auto pack = [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p)
      for (int64_t i = 0; i < kMr; ++i) {
        double* dst = a + p * s.k * kMr + i;
        if (p * kMr + i >= s.m) {
          for (int64_t kk = 0; kk < s.k; ++kk) dst[kk * kMr] = 0.0;
          continue;
        }
        const float* row = s.a + (p * kMr + i) * s.lda;
        for (int64_t kk = 0; kk < s.k; ++kk) dst[kk * kMr] = row[kk];
      }
  };
  if (exec.pool != nullptr)
    exec.pool->parallel_for(panels, 4, pack);
  else
    pack(0, panels);
  return a;
}

void gemm(const GemmShape& s, const GemmOperands& ops, const FloatKernelExec& exec) {
  if (s.m <= 0 || s.n <= 0) return;
  const double* a = pack_a(s, exec);
  const int64_t row_panels = ceil_div(s.m, kMr), col_tiles = ceil_div(s.n, kNc);
  const int64_t threads = exec.pool != nullptr ? exec.pool->threads() : 1;
  // Narrow outputs (late layers, dense) also split rows, so every thread
  // gets work; each tile is still computed whole by one thread.
  const int64_t row_splits =
      col_tiles >= 2 * threads ? 1 : std::min(row_panels, ceil_div(2 * threads, col_tiles));
  const int64_t tiles = col_tiles * row_splits;
  const float_gemm::MicroKernel micro = micro_for(exec.isa);

  auto run = [&](int64_t begin, int64_t end) {
    thread_local std::vector<double> b_buffer, c_buffer;
    double* b = scratch(b_buffer, std::min(kKc, s.k) * kNc);
    for (int64_t t = begin; t < end; ++t) {
      const int64_t j0 = t / row_splits * kNc, j1 = std::min(s.n, j0 + kNc);
      const int64_t split = t % row_splits;
      const int64_t p0 = row_panels * split / row_splits, p1 = row_panels * (split + 1) / row_splits;
      if (p0 == p1) continue;
      const int64_t width = ceil_div(j1 - j0, kNr) * kNr, ldc = width;
      double* c = scratch(c_buffer, (p1 - p0) * kMr * ldc);
      for (int64_t r = p0 * kMr; r < p1 * kMr; ++r)
        std::fill_n(c + (r - p0 * kMr) * ldc, width, r < s.m && s.bias != nullptr ? static_cast<double>(s.bias[r]) : 0.0);
      for (int64_t k0 = 0; k0 < s.k; k0 += kKc) {
        const int64_t k1 = std::min(s.k, k0 + kKc), kc = k1 - k0;
        ops.pack_b(k0, k1, j0, j1, b);
        for (int64_t p = p0; p < p1; ++p) {
          const double* ap = a + (p * s.k + k0) * kMr;
          double* cp = c + (p - p0) * kMr * ldc;
          for (int64_t jp = 0; jp < width / kNr; ++jp) micro(kc, ap, b + jp * kc * kNr, cp + jp * kNr, ldc);
        }
      }
      ops.store_c(p0 * kMr, std::min(s.m, p1 * kMr), j0, j1, c, ldc);
    }
  };
  if (exec.pool != nullptr)
    exec.pool->parallel_for(tiles, 1, run);
  else
    run(0, tiles);
}

// Conv as a GEMM per group: A = the group's weights (OG x CG*KH*KW, row
// order (c, kh, kw) as the plain loop sums), B = im2col of the group's
// input channels, one column per output pixel of every image (j = image *
// OH*OW + pixel), so a batch widens the GEMM.
class ConvOperands final : public GemmOperands {
 public:
  ConvOperands(const ConvGeometry& geo, const float* x, float* y, int64_t group)
      : g_(geo), x_(x), y_(y), group_(group) {}

  void pack_b(int64_t k0, int64_t k1, int64_t j0, int64_t j1, double* dst) const override {
    const int64_t pixels = g_.oh * g_.ow, plane = g_.h * g_.w, window = g_.kh * g_.kw;
    const int64_t cg = g_.c / g_.groups, cols = j1 - j0, width = ceil_div(cols, kNr) * kNr, kc = k1 - k0;
    // Per column: the offset of its image's first channel of this group and
    // the top-left input position of its window.
    int64_t image[kNc], ih0[kNc], iw0[kNc];
    for (int64_t jj = 0; jj < cols; ++jj) {
      const int64_t j = j0 + jj, pixel = j % pixels;
      image[jj] = (j / pixels * g_.c + group_ * cg) * plane;
      ih0[jj] = pixel / g_.ow * g_.stride_h - g_.pad_h;
      iw0[jj] = pixel % g_.ow * g_.stride_w - g_.pad_w;
    }
    for (int64_t kk = k0; kk < k1; ++kk) {
      const int64_t channel = kk / window, dh = kk % window / g_.kw * g_.dilation_h,
                    dw = kk % window % g_.kw * g_.dilation_w;
      double* row = dst + (kk - k0) * kNr;
      for (int64_t jj = 0; jj < width; ++jj) {
        double v = 0.0;
        if (jj < cols) {
          const int64_t ih = ih0[jj] + dh, iw = iw0[jj] + dw;
          if (ih >= 0 && ih < g_.h && iw >= 0 && iw < g_.w) v = x_[image[jj] + channel * plane + ih * g_.w + iw];
        }
        row[jj / kNr * kc * kNr + jj % kNr] = v;
      }
    }
  }

  void store_c(int64_t r0, int64_t r1, int64_t j0, int64_t j1, const double* tile, int64_t ldc) const override {
    const int64_t pixels = g_.oh * g_.ow, og = g_.o / g_.groups;
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t o = group_ * og + r;
      for (int64_t j = j0; j < j1; ++j)
        y_[(j / pixels * g_.o + o) * pixels + j % pixels] = static_cast<float>(tile[(r - r0) * ldc + (j - j0)]);
    }
  }

 private:
  const ConvGeometry& g_;
  const float* x_;
  float* y_;
  int64_t group_;
};

// Dense as a GEMM: A = w (M x K), B = x transposed (one column per sample).
class DenseOperands final : public GemmOperands {
 public:
  DenseOperands(int64_t k, int64_t m, const float* x, float* y) : k_(k), m_(m), x_(x), y_(y) {}

  void pack_b(int64_t k0, int64_t k1, int64_t j0, int64_t j1, double* dst) const override {
    const int64_t cols = j1 - j0, width = ceil_div(cols, kNr) * kNr, kc = k1 - k0;
    for (int64_t jj = 0; jj < width; ++jj) {
      double* col = dst + jj / kNr * kc * kNr + jj % kNr;
      for (int64_t kk = k0; kk < k1; ++kk) col[(kk - k0) * kNr] = jj < cols ? x_[(j0 + jj) * k_ + kk] : 0.0;
    }
  }

  void store_c(int64_t r0, int64_t r1, int64_t j0, int64_t j1, const double* tile, int64_t ldc) const override {
    for (int64_t r = r0; r < r1; ++r)
      for (int64_t j = j0; j < j1; ++j) y_[j * m_ + r] = static_cast<float>(tile[(r - r0) * ldc + (j - j0)]);
  }

 private:
  int64_t k_, m_;
  const float* x_;
  float* y_;
};

// Whether a DefaultFloatExec holds the pool. An atomic flag, not a mutex:
// a second claim from the same thread must fail, not deadlock.
std::atomic<bool> g_pool_taken{false};

fast::ThreadPool& default_pool() {
  static fast::ThreadPool pool(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  return pool;
}

}  // namespace

DefaultFloatExec::DefaultFloatExec() {
  exec_.isa = fast::cpu_isa();
  bool expected = false;
  if (g_pool_taken.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
    owns_pool_ = true;
    exec_.pool = &default_pool();
  }
}

DefaultFloatExec::~DefaultFloatExec() {
  if (owns_pool_) g_pool_taken.store(false, std::memory_order_release);
}

void conv2d_f32(const ConvGeometry& geo, const float* x, const float* w, const float* bias, float* y,
                const FloatKernelExec& exec) {
  const int64_t og = geo.o / geo.groups, k = geo.c / geo.groups * geo.kh * geo.kw;
  for (int64_t group = 0; group < geo.groups; ++group) {
    GemmShape s;
    s.m = og;
    s.n = geo.n * geo.oh * geo.ow;
    s.k = k;
    s.a = w + group * og * k;
    s.lda = k;
    s.bias = bias != nullptr ? bias + group * og : nullptr;
    gemm(s, ConvOperands(geo, x, y, group), exec);
  }
}

void dense_f32(int64_t n, int64_t k, int64_t m, const float* x, const float* w, const float* bias, float* y,
               const FloatKernelExec& exec) {
  GemmShape s;
  s.m = m;
  s.n = n;
  s.k = k;
  s.a = w;
  s.lda = k;
  s.bias = bias;
  gemm(s, DenseOperands(k, m, x, y), exec);
}

}  // namespace cvm::quant
