// Per-model value intervals (include/cvm/intervals.h, docs/proofs.rst
// "Per-model value intervals"). One forward pass in symbol order: each
// operator's rule maps its inputs' intervals (and, for dense and conv2d, the
// actual weights) to an interval of its output, which is then intersected with
// the output's precision range. Everything is int64 arithmetic; where a sum of
// products could leave int64 the checked helpers report it and the entry falls
// back to its precision range.
#include "cvm/intervals.h"

#include <algorithm>
#include <any>
#include <optional>
#include <string_view>

#include "cvm/intmath.h"
#include "cvm/ops/clip.h"
#include "cvm/ops/conv2d.h"
#include "cvm/ops/cvm_clip.h"
#include "cvm/ops/cvm_left_shift.h"
#include "cvm/ops/cvm_right_shift.h"
#include "cvm/ops/dense.h"
#include "cvm/ops/reduce.h"
#include "cvm/shape.h"

namespace cvm {
namespace {

using Iv = ValueInterval;

Iv precision_range(int p) { return {-prec_max(p), prec_max(p)}; }

Iv hull(const Iv& a, const Iv& b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }

// f applied to both ends of a monotone non-decreasing f.
template <typename F>
Iv monotone(const Iv& x, F f) {
  return {f(x.lo), f(x.hi)};
}

// Checked int64 arithmetic: nullopt when the exact result leaves int64.
std::optional<int64_t> checked_add(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// {w * x : x in [x.lo, x.hi]} for a constant w: the range of one product term.
// |w|, |x| <= 2^31 here (int32 values), so the products fit int64.
Iv times_const(int64_t w, const Iv& x) {
  const int64_t a = w * x.lo;
  const int64_t b = w * x.hi;
  return {std::min(a, b), std::max(a, b)};
}

// {a * b} over both intervals: the least and greatest endpoint product.
Iv times(const Iv& a, const Iv& b) {
  const int64_t p[] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
  return {*std::min_element(std::begin(p), std::end(p)), *std::max_element(std::begin(p), std::end(p))};
}

// Accumulates intervals with checked sums; `ok` turns false on overflow.
struct Acc {
  Iv sum{0, 0};
  bool ok = true;
  void add(const Iv& t) {
    const auto lo = checked_add(sum.lo, t.lo);
    const auto hi = checked_add(sum.hi, t.hi);
    if (!lo || !hi) {
      ok = false;
      return;
    }
    sum = {*lo, *hi};
  }
};

// The weighted-sum rule shared by dense and conv2d. Output channel o sums
// `per_channel` terms w * x with x in `x`. With constant weights (w_values
// non-null, row-major, `per_channel` weights per channel) each term ranges over
// times_const(w, x) and the channels are bounded one by one; otherwise every
// term ranges over times(w, x). The bias, when present (b non-null), is the
// constant b[o] when b_values is non-null, else its interval *b. The result is
// the hull over the channels; nullopt when a sum leaves int64.
std::optional<Iv> weighted_sum(const Iv& x, int64_t channels, int64_t per_channel,
                               const std::vector<int32_t>* w_values, const Iv& w,
                               const std::vector<int32_t>* b_values, const Iv* b) {
  if (w_values == nullptr) {
    const Iv t = times(x, w);
    const auto lo = checked_mul(t.lo, per_channel);
    const auto hi = checked_mul(t.hi, per_channel);
    if (!lo || !hi) return std::nullopt;
    Acc acc;
    acc.sum = {*lo, *hi};
    if (b != nullptr) acc.add(*b);
    if (!acc.ok) return std::nullopt;
    return acc.sum;
  }
  std::optional<Iv> all;
  for (int64_t o = 0; o < channels; ++o) {
    Acc c;
    for (int64_t k = 0; k < per_channel; ++k)
      c.add(times_const((*w_values)[static_cast<size_t>(o * per_channel + k)], x));
    if (b != nullptr && b_values != nullptr) {
      const int64_t bo = (*b_values)[static_cast<size_t>(o)];
      c.add({bo, bo});
    } else if (b != nullptr) {
      c.add(*b);
    }
    if (!c.ok) return std::nullopt;
    all = all ? hull(*all, c.sum) : c.sum;
  }
  return all.value_or(Iv{0, 0});
}

// cvm_right_shift's formula on one value (reference/cvm_right_shift.cc).
int64_t right_shift(int64_t x, int b, int64_t alpha) {
  const int64_t t = shr_floor(x, b - 1) + 1;
  return clip(shr_floor(t, 1), -alpha, alpha);
}

// cvm_precision's formula on one magnitude (reference/cvm_precision.cc).
int64_t precision_value(uint64_t magnitude) { return magnitude == 0 ? 1 : bits(magnitude); }

uint64_t magnitude(int64_t v) { return static_cast<uint64_t>(v < 0 ? -v : v); }

class Analysis {
 public:
  explicit Analysis(const Model& model)
      : model_(model), g_(model.graph()), out_(g_.entries.size()), variable_of_(g_.entries.size(), -1) {
    for (size_t v = 0; v < g_.nodes.size(); ++v)
      if (g_.nodes[v].is_variable()) variable_of_[static_cast<size_t>(g_.nodes[v].first_entry)] = static_cast<int64_t>(v);
  }

  std::vector<EntryInterval> run() {
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const ModelNode& n = g_.nodes[i];
      for (int k = 0; k < n.num_outputs; ++k) {
        const auto e = static_cast<size_t>(n.first_entry + k);
        const int p = g_.entries[e].precision;
        const std::optional<Iv> r = n.is_variable() ? variable(i) : rule(n);
        EntryInterval& ei = out_[e];
        ei.range = precision_range(p);
        ei.fallback = !r.has_value();
        if (r) {
          const Iv c{std::max(r->lo, -prec_max(p)), std::min(r->hi, prec_max(p))};
          // Empty only for an entry without values; keep the precision range.
          if (c.lo <= c.hi) ei.range = c;
        }
      }
    }
    return std::move(out_);
  }

 private:
  const Iv& in(const ModelNode& n, size_t k) const {
    return out_[static_cast<size_t>(n.inputs[k])].range;
  }

  // The constant values of input k when it is a param, else null.
  const std::vector<int32_t>* constant(const ModelNode& n, size_t k) const {
    const int64_t v = variable_of_[static_cast<size_t>(n.inputs[k])];
    return v < 0 ? nullptr : param_values(static_cast<size_t>(v));
  }

  const std::vector<int32_t>* param_values(size_t node) const {
    if (static_cast<int64_t>(node) == g_.data_node) return nullptr;
    const auto& values = model_.variable_values();
    if (node >= values.size()) return nullptr;
    const Tensor& t = values[node];
    const auto e = static_cast<size_t>(g_.nodes[node].first_entry);
    if (t.size() != shape_size(g_.entries[e].shape)) return nullptr;
    return &t.data;
  }

  std::optional<Iv> variable(size_t node) const {
    // The input: every value saturated to its precision.
    if (static_cast<int64_t>(node) == g_.data_node)
      return precision_range(g_.entries[static_cast<size_t>(g_.nodes[node].first_entry)].precision);
    const std::vector<int32_t>* v = param_values(node);
    if (v == nullptr) return std::nullopt;
    if (v->empty()) return Iv{0, 0};
    const auto [lo, hi] = std::minmax_element(v->begin(), v->end());
    return Iv{*lo, *hi};
  }

  std::optional<Iv> rule(const ModelNode& n) const {
    const std::string_view op = n.op->name;
    if (op == "relu") return monotone(in(n, 0), [](int64_t v) { return std::max<int64_t>(v, 0); });
    if (op == "negative") return Iv{-in(n, 0).hi, -in(n, 0).lo};
    if (op == "abs" || op == "cvm_precision") {
      const Iv& x = in(n, 0);
      // The magnitudes of [lo, hi]: [0, max] when it holds 0.
      const uint64_t mlo = x.lo > 0 ? magnitude(x.lo) : (x.hi < 0 ? magnitude(x.hi) : 0);
      const uint64_t mhi = std::max(magnitude(x.lo), magnitude(x.hi));
      if (op == "abs") return Iv{static_cast<int64_t>(mlo), static_cast<int64_t>(mhi)};
      return Iv{precision_value(mlo), precision_value(mhi)};
    }
    if (op == "clip") {
      const auto& a = std::any_cast<const ClipAttrs&>(n.attrs);
      return monotone(in(n, 0), [&](int64_t v) { return clip(v, a.a_min, a.a_max); });
    }
    if (op == "cvm_clip") {
      const auto& a = std::any_cast<const CvmClipAttrs&>(n.attrs);
      const int64_t alpha = prec_max(static_cast<int>(a.precision));
      return monotone(in(n, 0), [&](int64_t v) { return clip(v, -alpha, alpha); });
    }
    if (op == "cvm_left_shift") {
      const auto& a = std::any_cast<const CvmLeftShiftAttrs&>(n.attrs);
      const int64_t alpha = prec_max(static_cast<int>(a.precision));
      const int s = static_cast<int>(a.shift_bit);
      // |v| <= R(p_x) and p_x + s <= 32 (cvm_left_shift_c3): the shift fits int64.
      return monotone(in(n, 0), [&](int64_t v) { return clip(shl(v, s), -alpha, alpha); });
    }
    if (op == "cvm_right_shift") {
      const auto& a = std::any_cast<const CvmRightShiftAttrs&>(n.attrs);
      const int64_t alpha = prec_max(static_cast<int>(a.precision));
      const int b = static_cast<int>(a.shift_bit);
      return monotone(in(n, 0), [&](int64_t v) { return right_shift(v, b, alpha); });
    }
    if (op == "elemwise_add" || op == "broadcast_add") return Iv{in(n, 0).lo + in(n, 1).lo, in(n, 0).hi + in(n, 1).hi};
    if (op == "elemwise_sub" || op == "broadcast_sub") return Iv{in(n, 0).lo - in(n, 1).hi, in(n, 0).hi - in(n, 1).lo};
    if (op == "broadcast_mul") return times(in(n, 0), in(n, 1));
    if (op == "broadcast_max")
      return Iv{std::max(in(n, 0).lo, in(n, 1).lo), std::max(in(n, 0).hi, in(n, 1).hi)};
    if (op == "broadcast_greater") return Iv{0, 1};
    if (op == "sum") {
      // Every output value sums exactly K input values.
      const auto& a = std::any_cast<const ReduceAttrs&>(n.attrs);
      const Shape& s = g_.entries[static_cast<size_t>(n.inputs[0])].shape;
      const std::vector<bool> red = reduced_axes(a, s.size());
      int64_t count = 1;
      for (size_t d = 0; d < s.size(); ++d)
        if (red[d]) count *= s[d];  // at most the element count of x
      const auto lo = checked_mul(count, in(n, 0).lo);
      const auto hi = checked_mul(count, in(n, 0).hi);
      if (!lo || !hi) return std::nullopt;
      return Iv{*lo, *hi};
    }
    if (op == "max") {
      const auto& a = std::any_cast<const ReduceAttrs&>(n.attrs);
      const Iv& x = in(n, 0);
      // The default whole reduction starts from 0 (spec/ops/max.rst).
      if (a.axis.empty() && !a.exclude) return Iv{std::max<int64_t>(x.lo, 0), std::max<int64_t>(x.hi, 0)};
      return x;
    }
    if (op == "flatten" || op == "reshape" || op == "expand_dims" || op == "squeeze" ||
        op == "transpose" || op == "repeat" || op == "tile" || op == "strided_slice" ||
        op == "slice_like" || op == "take" || op == "upsampling" || op == "max_pool2d")
      return in(n, 0);  // every output value is a value of x (max_pool2d ignores its padding)
    if (op == "concatenate") {
      Iv r = in(n, 0);
      for (size_t k = 1; k < n.inputs.size(); ++k) r = hull(r, in(n, k));
      return r;
    }
    if (op == "where") return hull(in(n, 1), in(n, 2));
    if (op == "dense") {
      const auto& a = std::any_cast<const DenseAttrs&>(n.attrs);
      const Shape& ws = g_.entries[static_cast<size_t>(n.inputs[1])].shape;
      return weighted_sum(in(n, 0), ws[0], ws[1], constant(n, 1), in(n, 1),
                          a.use_bias ? constant(n, 2) : nullptr, a.use_bias ? &in(n, 2) : nullptr);
    }
    if (op == "conv2d") {
      const auto& a = std::any_cast<const Conv2dAttrs&>(n.attrs);
      const Shape& ws = g_.entries[static_cast<size_t>(n.inputs[1])].shape;
      Iv x = in(n, 0);
      // Padding cells read as 0.
      if (a.padding[0] > 0 || a.padding[1] > 0) x = hull(x, Iv{0, 0});
      return weighted_sum(x, ws[0], ws[1] * ws[2] * ws[3], constant(n, 1), in(n, 1),
                          a.use_bias ? constant(n, 2) : nullptr, a.use_bias ? &in(n, 2) : nullptr);
    }
    if (op == "cvm_lut") {
      // y = table[clip(x, 0, N - 1)] is an element of the table; with a
      // constant table, one of the elements the reachable indices select.
      const std::vector<int32_t>* t = constant(n, 1);
      if (t == nullptr || t->empty()) return in(n, 1);
      const int64_t last = static_cast<int64_t>(t->size()) - 1;
      const auto first = t->begin() + clip(in(n, 0).lo, 0, last);
      const auto end = t->begin() + clip(in(n, 0).hi, 0, last) + 1;
      const auto [lo, hi] = std::minmax_element(first, end);
      return Iv{*lo, *hi};
    }
    return std::nullopt;  // broadcast_div, get_valid_counts, non_max_suppression
  }

  const Model& model_;
  const ModelGraph& g_;
  std::vector<EntryInterval> out_;
  std::vector<int64_t> variable_of_;  // per entry: its variable node, or -1
};

}  // namespace

std::vector<EntryInterval> value_intervals(const Model& model) { return Analysis(model).run(); }

int headroom_bits(const ValueInterval& range, int precision) {
  const int64_t m = std::max(range.lo < 0 ? -range.lo : range.lo, range.hi < 0 ? -range.hi : range.hi);
  return precision - precision_of(m);
}

}  // namespace cvm
