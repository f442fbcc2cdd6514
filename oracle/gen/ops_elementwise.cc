// Builders: unary elementwise, binary, broadcast and reduce operators.
#include <algorithm>
#include <array>
#include <string>

#include "cvm/intmath.h"
#include "cvm/validate.h"
#include "gen/op_cases_internal.h"

namespace cvm::gen::detail {
namespace {

auto any_type = [](const TensorType&) { return true; };

TensorType x_any(Ctx& g, int p_hi = 32) {
  if (auto t = g.input0([&](const TensorType& t0) { return t0.precision <= p_hi; })) return *t;
  return g.type(1, 6, 1, p_hi, g.max_elements);
}

std::optional<Draft> unary(Ctx& g) { return Draft{{}, {x_any(g)}}; }

/// A clip bound: small, around a power of two, or anywhere in int32.
int64_t clip_bound(Chooser& c) {
  const int64_t sign = c.coin() ? 1 : -1;
  switch (c.range(0, 5)) {
    case 0:
    case 1: return c.range(-8, 8);
    case 2: return sign * ((int64_t{1} << c.range(0, 30)) - 1);
    case 3: return sign * (int64_t{1} << c.range(0, 30));
    case 4: return c.range(-(int64_t{1} << 30), int64_t{1} << 30);
    default: return sign * c.range(int64_t{1} << 30, (int64_t{1} << 31) - 1);
  }
}

std::optional<Draft> clip(Ctx& g) {
  Draft d{{}, {x_any(g)}};
  int64_t lo = clip_bound(g.c), hi = clip_bound(g.c);
  if (g.attempt >= 8) {  // op_c3 keeps rejecting huge bounds: stay small
    lo = g.c.range(-1000, 1000);
    hi = g.c.range(-1000, 1000);
  }
  if (lo > hi) std::swap(lo, hi);
  if (lo == hi) {
    if (hi < (int64_t{1} << 31) - 1) ++hi;
    else --lo;
  }
  d.attrs["a_min"] = itos(lo);
  d.attrs["a_max"] = itos(hi);
  return d;
}

void maybe_sign(Chooser& c, AttrMap& a) { maybe_bool(c, a, "is_sign"); }

std::optional<Draft> cvm_clip(Ctx& g) {
  Draft d{{}, {x_any(g)}};
  d.attrs["precision"] = itos(random_precision(g.c, 1, 32));
  maybe_sign(g.c, d.attrs);
  return d;
}

std::optional<Draft> cvm_left_shift(Ctx& g) {
  Draft d{{}, {x_any(g, 31)}};
  const int px = d.inputs[0].precision;
  d.attrs["precision"] = itos(random_precision(g.c, 1, 32));
  d.attrs["shift_bit"] = itos(random_precision(g.c, 1, 32 - px));
  maybe_sign(g.c, d.attrs);
  return d;
}

std::optional<Draft> cvm_right_shift(Ctx& g) {
  Draft d{{}, {x_any(g)}};
  d.attrs["precision"] = itos(random_precision(g.c, 1, 32));
  d.attrs["shift_bit"] = itos(random_precision(g.c, 1, 32));
  maybe_sign(g.c, d.attrs);
  return d;
}

std::optional<Draft> elemwise(Ctx& g) {
  TensorType a = x_any(g, 31);
  TensorType b{a.shape, g.prec(1, 31)};
  if (!g.req.input0 && g.c.coin()) std::swap(a.precision, b.precision);
  return Draft{{}, {a, b}};
}

/// b's shape broadcasting with a: aligned from the right, each dim equal, 1,
/// or free where a has 1 or no dim; the output stays within max_elements.
Shape broadcast_partner(Ctx& g, const Shape& a) {
  Chooser& c = g.c;
  const int ra = static_cast<int>(a.size());
  int rb = c.coin() ? ra : g.rank(1, 6);
  if (c.one_in(4)) rb = std::max(1, ra - static_cast<int>(c.range(0, ra - 1)));
  int64_t budget = std::max<int64_t>(1, g.max_elements / std::max<int64_t>(1, size_of(a)));
  const int mode = static_cast<int>(c.range(0, 3));  // 0: same dims, 1..3: mixed
  Shape b(static_cast<size_t>(rb));
  for (int k = 0; k < rb; ++k) {
    const int ia = ra - rb + k;  // aligned dim of a, if >= 0
    int64_t& d = b[static_cast<size_t>(k)];
    if (ia >= 0 && a[static_cast<size_t>(ia)] != 1) {
      d = (mode == 0 || c.range(0, 2) != 0) ? a[static_cast<size_t>(ia)] : 1;
    } else if (mode == 0 && ia >= 0) {
      d = 1;
    } else {
      d = c.one_in(3) ? 1 : random_dim(c, std::min<int64_t>(budget, 65));
      budget = std::max<int64_t>(1, budget / d);
    }
  }
  return b;
}

template <int kPrecisionSum>
std::optional<Draft> broadcast(Ctx& g) {
  // kPrecisionSum: 0 any precisions; 1 max(pa, pb) + 1 <= 32; 2 pa + pb <= 32.
  const int a_hi = kPrecisionSum == 0 ? 32 : 31;
  TensorType a = x_any(g, a_hi);
  TensorType b{broadcast_partner(g, a.shape), 1};
  if (kPrecisionSum == 2) b.precision = g.prec(1, 32 - a.precision);
  else b.precision = g.prec(1, a_hi);
  if (!g.req.input0 && g.c.coin()) std::swap(a, b);
  return Draft{{}, {a, b}};
}

constexpr std::array<const char*, 11> kReduceDtypes{"float16", "float32", "float64", "uint8",  "uint16", "uint32",
                                                    "uint64",  "int8",    "int16",   "int32", "int64"};

template <bool kSum>
std::optional<Draft> reduce(Ctx& g) {
  Chooser& c = g.c;
  Draft d;
  TensorType x;
  if (auto t = g.input0(any_type)) x = *t;
  else x = g.type(1, 6, 1, 32, g.max_elements);
  const int n = static_cast<int>(x.shape.size());
  const int64_t axis_mode = c.range(0, 4);
  switch (axis_mode) {
    case 0: break;                          // default ()
    case 1: d.attrs["axis"] = "()"; break;  // explicit empty
    default: {
      std::vector<int64_t> axes;
      for (int i = 0; i < n; ++i)  // mode 4: every axis (with exclude: nothing reduced)
        if (axis_mode == 4 || c.coin()) axes.push_back(c.coin() ? i : i - n);
      if (axes.empty()) axes.push_back(c.range(-n, n - 1));
      for (size_t i = axes.size(); i > 1; --i) std::swap(axes[i - 1], axes[static_cast<size_t>(c.range(0, static_cast<int64_t>(i) - 1))]);
      d.attrs["axis"] = tup(axes);
    }
  }
  maybe_bool(c, d.attrs, "keepdims");
  maybe_bool(c, d.attrs, "exclude");
  if (c.coin()) d.attrs["dtype"] = kReduceDtypes[static_cast<size_t>(c.range(0, kReduceDtypes.size() - 1))];
  if (kSum && !g.req.input0) {
    // p_y = p_x + bits(K): find K with a trial validation at precision 1.
    x.precision = 1;
    try {
      const ValidatedOp v = validate_op("sum", d.attrs, {x});
      const int64_t k = size_of(x.shape) / std::max<int64_t>(1, size_of(v.outputs[0].shape));
      x.precision = g.prec(1, std::max(1, 32 - bits(static_cast<uint64_t>(k))));
    } catch (const LogicError&) {
      return std::nullopt;
    }
  }
  d.inputs = {x};
  return d;
}

}  // namespace

Builder elementwise_builder(std::string_view op) {
  if (op == "abs" || op == "negative" || op == "relu" || op == "cvm_precision") return unary;
  if (op == "clip") return clip;
  if (op == "cvm_clip") return cvm_clip;
  if (op == "cvm_left_shift") return cvm_left_shift;
  if (op == "cvm_right_shift") return cvm_right_shift;
  if (op == "elemwise_add" || op == "elemwise_sub") return elemwise;
  if (op == "broadcast_add" || op == "broadcast_sub") return broadcast<1>;
  if (op == "broadcast_mul") return broadcast<2>;
  if (op == "broadcast_max" || op == "broadcast_div" || op == "broadcast_greater") return broadcast<0>;
  if (op == "sum") return reduce<true>;
  if (op == "max") return reduce<false>;
  return nullptr;
}

}  // namespace cvm::gen::detail
