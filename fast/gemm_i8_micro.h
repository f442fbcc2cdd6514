// The int8 micro-kernel, written once for any vector width: included only by
// the files that instantiate it for one level each (fast/gemm_i8_avxvnni.cc,
// fast/gemm_i8_avx512vnni.cc), which are built with that level's flags.
// Everything here is a template of the level's vector traits V (a type
// local to its file), so each file's code is its own: no inline function
// compiled with one level's flags can be shared with a lower level's code.
//
// V provides: Vec (the vector type) and kLanes (its int32 lanes, 8 or 16);
// zero(), load(p), store(p, v), set1(i), add(a, b), bit_and(a, b),
// sra(v, n) (by n bits), srai1(v) (by 1), max(a, b), min(a, b), store_u8(p, v)
// (the lanes as bytes v + 128, exact for v in [-128, 127]), load_u8(p) (kLanes
// bytes u as int32 lanes u - 128); dp(acc, u, s) = acc +
// vpdpbusd(u, s) (u the unsigned bytes, s the signed ones, wrapping modulo
// 2^32: VPDPBUSD, never the saturating VPDPBUSDS); dp_bcast_s(acc, u, p) =
// dp(acc, u, the 4 signed bytes at p in every lane); bcast(p) (the 4 bytes
// at p in every lane).
//
// A tile's k quad is 64 bytes (kNR = 16 columns x 4 k, column n in int32
// lane n), H = 16 / kLanes vectors; a panel row's k quad is 4 bytes,
// broadcast to every lane. Per k quad and row, H vpdpbusd (4 products per
// lane each). The accumulators are G = P H groups of kMR rows (group g:
// panel g / H, columns (g % H) kLanes ..): at most 16 vectors, named (not an
// array) to keep GCC from adding register copies to the loop.
#pragma once

#include <cstdint>
#include <cstring>

#include "fast/gemm_i8.h"

namespace cvm::fast::gemm {

// Panel row i of group g: A at a + (g / H) * a_panel_stride + 4 i; B is the
// group's vector of the tile, b0 or b1. kBUnsigned: B holds u = x + 128 and
// A the signed weights (broadcast from memory); otherwise A holds u
// (broadcast) and B the signed weights.
#define CVM_I8_ROW(g, i)                                                                      \
  {                                                                                           \
    const uint8_t* aq = a + ((g) / H) * a_panel_stride + 4 * (i);                             \
    const Vec bv = (g) % H == 0 ? b0 : b1;                                                    \
    c##g##i = kBUnsigned ? V::dp_bcast_s(c##g##i, bv, aq) : V::dp(c##g##i, V::bcast(aq), bv); \
  }
// One braced statement, so that `if constexpr (...) CVM_I8_GROUP(g)` guards
// all four rows.
#define CVM_I8_GROUP(g) \
  {                     \
    CVM_I8_ROW(g, 0)    \
    CVM_I8_ROW(g, 1)    \
    CVM_I8_ROW(g, 2)    \
    CVM_I8_ROW(g, 3)    \
  }
// P full panels x one full tile into c (row stride ldc).
template <class V, int P, bool kBUnsigned>
void micro_i8(const uint8_t* a, int64_t a_panel_stride, const uint8_t* b, int64_t kc, int32_t* c, int64_t ldc,
              bool accumulate, const I8Finish* fin) {
  using Vec = typename V::Vec;
  constexpr int H = kNR / V::kLanes;
  constexpr int G = P * H;
  static_assert(H * V::kLanes == kNR && G >= 1 && G <= 4, "1 to 4 groups of accumulators");
  static_assert(kMR == 4, "micro_i8 is written for 4-row panels");
  Vec c00 = V::zero(), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00, c20 = c00,
      c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
  for (int64_t k = 0; k < kc; ++k) {
    const Vec b0 = V::load(b);
    Vec b1 = b0;
    if constexpr (H == 2) b1 = V::load(b + kTileQuadBytes / 2);
    CVM_I8_GROUP(0)
    if constexpr (G >= 2) CVM_I8_GROUP(1)
    if constexpr (G >= 3) CVM_I8_GROUP(2)
    if constexpr (G == 4) CVM_I8_GROUP(3)
    a += kPanelQuadBytes;
    b += kTileQuadBytes;
  }
  const Vec acc[16] = {c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33};
  const Vec one = V::set1(1);
  for (int r = 0; r < P * kMR; ++r) {
    for (int h = 0; h < H; ++h) {
      // The corrections, the bias and the epilogue (fin is set).
      auto finish = [&](Vec v) {
        v = V::add(v, V::add(V::set1(fin->row_add[r]), V::load(fin->col_add + h * V::kLanes)));
        auto residual = [&] {
          const int64_t at = r * ldc + h * V::kLanes;
          return fin->residual8 != nullptr ? V::load_u8(fin->residual8 + at) : V::load(fin->residual + at);
        };
        for (int i = 0; i < fin->count; ++i) {
          if (i == fin->residual_at) v = V::add(v, residual());
          const I8Finish::Step& st = fin->steps[i];
          if (st.shift >= 0) {
            // As the int16 path's epilogue: (t >> 1) + (t & 1), t = v >> (shift_bit - 1).
            const Vec t = V::sra(v, st.shift);
            v = V::add(V::srai1(t), V::bit_and(t, one));
          }
          v = V::min(V::max(v, V::set1(st.lo)), V::set1(st.hi));
        }
        if (fin->residual_at == fin->count) v = V::add(v, residual());
        return v;
      };
      Vec v = acc[((r / kMR) * H + h) * kMR + r % kMR];
      int32_t* dst = c + r * ldc + h * V::kLanes;
      if (accumulate) v = V::add(v, V::load(dst));
      if (fin != nullptr && fin->out8 != nullptr) {
        V::store_u8(fin->out8 + r * ldc + h * V::kLanes, finish(v));
        continue;
      }
      if (fin != nullptr) v = finish(v);
      V::store(dst, v);
    }
  }
}
#undef CVM_I8_GROUP
#undef CVM_I8_ROW

// P panels x one tile into y (rows x cols valid, at most P kMR x kNR):
// directly when full, through a kNR-wide scratch tile otherwise (the
// padding rows and columns are computed and dropped; A has whole panels,
// zero rows past the last valid one).
template <class V, int P, bool kBUnsigned>
void run_i8(const uint8_t* a, int64_t a_panel_stride, const uint8_t* b, int64_t kc, int32_t* y, int64_t ldy,
            int64_t rows, int64_t cols, bool accumulate, const I8Finish* fin) {
  if (rows == P * kMR && cols == kNR) {
    micro_i8<V, P, kBUnsigned>(a, a_panel_stride, b, kc, y, ldy, accumulate, fin);
    return;
  }
  alignas(64) int32_t t[P * kMR * kNR] = {};
  if (accumulate)
    for (int64_t i = 0; i < rows; ++i) std::memcpy(t + i * kNR, y + i * ldy, sizeof(int32_t) * cols);
  // The finish on the scratch tile: the residual's valid part copied to a
  // tile of the same layout, the result stored as int32 into t.
  uint8_t* const out8 = fin != nullptr ? fin->out8 : nullptr;
  const bool bytes = out8 != nullptr;
  I8Finish on_t;
  alignas(64) int32_t rt[P * kMR * kNR] = {};
  if (fin != nullptr && (bytes || fin->residual != nullptr || fin->residual8 != nullptr)) {
    on_t = *fin;
    on_t.out8 = nullptr;
    if (fin->residual != nullptr) {
      for (int64_t i = 0; i < rows; ++i) std::memcpy(rt + i * kNR, fin->residual + i * ldy, sizeof(int32_t) * cols);
      on_t.residual = rt;
    }
    if (fin->residual8 != nullptr) {
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t n = 0; n < cols; ++n) rt[i * kNR + n] = int32_t{fin->residual8[i * ldy + n]} - 128;
      on_t.residual = rt;
      on_t.residual8 = nullptr;
    }
    fin = &on_t;
  }
  micro_i8<V, P, kBUnsigned>(a, a_panel_stride, b, kc, t, kNR, accumulate, fin);
  if (bytes) {
    // Its valid part as bytes (out8 of the caller's finish).
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t n = 0; n < cols; ++n) out8[i * ldy + n] = static_cast<uint8_t>(t[i * kNR + n] + 128);
    return;
  }
  for (int64_t i = 0; i < rows; ++i) std::memcpy(y + i * ldy, t + i * kNR, sizeof(int32_t) * cols);
}

// The table of run_i8 for P = 1 .. kMaxPanels.
template <class V, int kMaxPanels>
I8Micro make_i8_micro() {
  static_assert(kMaxPanels >= 1 && kMaxPanels <= 4, "1 to 4 panels per call");
  I8Micro m;
  m.max_panels = kMaxPanels;
  m.run[0][0] = &run_i8<V, 1, false>;
  m.run[0][1] = &run_i8<V, 1, true>;
  if constexpr (kMaxPanels >= 2) m.run[1][0] = &run_i8<V, 2, false>, m.run[1][1] = &run_i8<V, 2, true>;
  if constexpr (kMaxPanels >= 3) m.run[2][0] = &run_i8<V, 3, false>, m.run[2][1] = &run_i8<V, 3, true>;
  if constexpr (kMaxPanels >= 4) m.run[3][0] = &run_i8<V, 4, false>, m.run[3][1] = &run_i8<V, 4, true>;
  return m;
}

}  // namespace cvm::fast::gemm
