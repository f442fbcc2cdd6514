// Valid random applications of every operator: the driver (retry, validate),
// the shared helpers and the op-specific input values. The attribute and
// type builders live in ops_<family>.cc.
#include "gen/op_cases.h"

#include <algorithm>
#include <array>
#include <limits>

#include "cvm/errors.h"
#include "cvm/intmath.h"
#include "gen/op_cases_internal.h"
#include "gen/values.h"

namespace cvm::gen {

namespace detail {

int Ctx::prec(int lo, int hi) { return random_precision(c, lo, std::max(lo, std::min(hi, cap()))); }

TensorType Ctx::type(int rank_lo, int rank_hi, int p_lo, int p_hi, int64_t max_elems) {
  const int r = rank(rank_lo, rank_hi);
  TensorType t;
  t.shape = random_shape(c, r, max_elems);
  t.precision = prec(p_lo, p_hi);
  return t;
}

std::string itos(int64_t v) { return std::to_string(v); }

std::string tup(const std::vector<int64_t>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(v[i]);
  }
  return s + ")";
}

void maybe_bool(Chooser& c, AttrMap& attrs, const char* key) {
  switch (c.range(0, 2)) {
    case 0: break;
    case 1: attrs[key] = "true"; break;
    default: attrs[key] = "false"; break;
  }
}

void maybe_default(Chooser& c, AttrMap& attrs, const char* key, const char* value) {
  if (c.coin()) attrs[key] = value;
}

int64_t sat_mul(int64_t a, int64_t b) {
  constexpr int64_t kBig = int64_t{1} << 62;
  if (a != 0 && b > kBig / a) return kBig;
  return a * b;
}

int64_t size_of(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n = sat_mul(n, d);
  return n;
}

}  // namespace detail

using detail::Ctx;
using detail::Draft;

namespace {

detail::Builder find_builder(std::string_view op) {
  if (auto b = detail::elementwise_builder(op)) return b;
  if (auto b = detail::nn_builder(op)) return b;
  if (auto b = detail::transform_builder(op)) return b;
  if (auto b = detail::vision_builder(op)) return b;
  return nullptr;
}

bool within(const Types& types, int64_t max_elements) {
  for (const TensorType& t : types)
    if (detail::size_of(t.shape) > max_elements) return false;
  return true;
}

}  // namespace

std::optional<GeneratedCase> generate_case(std::string_view op, Chooser& c, const CaseRequest& request) {
  const detail::Builder build = find_builder(op);
  if (!build) return std::nullopt;
  int64_t max_elements = std::max<int64_t>(1, request.max_elements);
  if (request.input0) max_elements = std::max(max_elements, detail::size_of(request.input0->shape));
  constexpr int kAttempts = 16;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Ctx ctx{c, request, attempt, max_elements, std::max<int64_t>(1, request.max_work)};
    std::optional<Draft> d = build(ctx);
    if (!d) continue;
    if (!within(d->inputs, max_elements)) continue;
    try {
      ValidatedOp v = validate_op(op, d->attrs, d->inputs);
      if (!within(v.outputs, max_elements)) continue;
      return GeneratedCase{std::string(op), std::move(d->attrs), std::move(d->inputs), std::move(v)};
    } catch (const LogicError&) {
      continue;
    }
  }
  return std::nullopt;
}

int64_t random_dim(Chooser& c, int64_t max) {
  if (max <= 1) return 1;
  static constexpr std::array<int64_t, 12> kBoundaries{7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65};
  switch (c.range(0, 7)) {
    case 0:
    case 1:
    case 2:
    case 3: return c.range(1, std::min<int64_t>(max, 5));
    case 4:
    case 5: {
      std::vector<int64_t> ok;
      for (int64_t b : kBoundaries)
        if (b <= max) ok.push_back(b);
      if (ok.empty()) return c.range(1, max);
      return c.pick(ok);
    }
    default: return c.range(1, std::min<int64_t>(max, 65));
  }
}

Shape random_shape(Chooser& c, int rank, int64_t max_elements) {
  max_elements = std::max<int64_t>(1, max_elements);
  rank = std::clamp(rank, 1, 6);
  Shape s(static_cast<size_t>(rank));
  for (int64_t& d : s) d = random_dim(c, std::min<int64_t>(65, max_elements));
  // Shrink the largest dim until the size fits (bounded: each step halves one dim).
  while (detail::size_of(s) > max_elements) {
    auto it = std::max_element(s.begin(), s.end());
    *it = std::max<int64_t>(1, *it / 2);
  }
  return s;
}

int random_precision(Chooser& c, int lo, int hi) {
  if (hi < lo) return lo;
  switch (c.range(0, 7)) {
    case 0: return lo;
    case 1: return hi;
    case 2: return (lo <= 8 && 8 <= hi) ? 8 : lo;
    case 3: return (lo <= 32 && 32 <= hi) ? 32 : hi;
    default: return static_cast<int>(c.range(lo, hi));
  }
}

// ---------------------------------------------------------------------------
// Input values.

namespace {

int32_t clamp_to(int64_t v, int p) { return static_cast<int32_t>(clip_precision(v, p)); }

/// An index for a dimension of `bound` entries: mostly in range, sometimes
/// negative, past the end or at the precision's extremes.
int32_t index_value(Chooser& c, int64_t bound, int p, bool extremes_only) {
  if (extremes_only && c.coin()) return extreme_value(c, p);
  switch (c.range(0, 7)) {
    case 0: return clamp_to(c.range(-3, -1), p);
    case 1: return clamp_to(bound + c.range(0, 2), p);
    case 2: return clamp_to(bound - 1, p);
    case 3: return extreme_value(c, p);
    case 4: return clamp_to(0, p);
    default: return clamp_to(c.range(0, std::max<int64_t>(0, bound - 1)), p);
  }
}

Tensor index_tensor(Chooser& c, const TensorType& t, int64_t bound, bool extremes_only) {
  Tensor out{t.shape, t.precision, std::vector<int32_t>(static_cast<size_t>(detail::size_of(t.shape)))};
  for (int32_t& v : out.data) v = index_value(c, bound, t.precision, extremes_only);
  return out;
}

/// A value near `center` (within +-2), or random, clamped to precision p.
int32_t near_value(Chooser& c, int64_t center, int p, bool extremes_only) {
  if (c.one_in(4)) return extremes_only ? extreme_value(c, p) : random_value(c, p);
  return clamp_to(center + c.range(-2, 2), p);
}

std::vector<Tensor> gvc_values(Chooser& c, const GeneratedCase& g, bool extremes_only) {
  const TensorType& t = g.inputs[0];
  Tensor x = random_tensor(c, t, extremes_only);
  int64_t thr = 0;
  if (auto it = g.attrs.find("score_threshold"); it != g.attrs.end()) thr = std::stoll(it->second);
  const int64_t k = t.shape[2];
  for (size_t i = 1; i < x.data.size(); i += static_cast<size_t>(k)) {
    x.data[i] = near_value(c, thr, t.precision, extremes_only);
  }
  return {x};
}

std::vector<Tensor> nms_values(Chooser& c, const GeneratedCase& g, bool extremes_only) {
  const TensorType& t = g.inputs[0];
  const int p = t.precision;
  const int64_t r = prec_max(p);
  Tensor data{t.shape, p, std::vector<int32_t>(static_cast<size_t>(detail::size_of(t.shape)))};
  const int64_t rows = t.shape[0] * t.shape[1];
  // A few cluster centres; boxes jitter around them so that many overlap.
  const int64_t scale = std::max<int64_t>(1, std::min<int64_t>(r, c.pick(std::vector<int64_t>{4, 20, 100, 1000, r})));
  const int64_t cx = c.range(-scale, scale), cy = c.range(-scale, scale);
  const int64_t common_score = c.range(-3, 3);
  for (int64_t i = 0; i < rows; ++i) {
    int32_t* row = data.data.data() + i * 6;
    // class id: mostly a few valid ids, sometimes -1 or another negative.
    switch (c.range(0, 7)) {
      case 0: row[0] = clamp_to(-1, p); break;
      case 1: row[0] = clamp_to(c.range(-5, -1), p); break;
      default: row[0] = clamp_to(c.range(0, 2), p); break;
    }
    // score: ties are common.
    switch (c.range(0, 3)) {
      case 0: row[1] = clamp_to(common_score, p); break;
      case 1: row[1] = extreme_value(c, p); break;
      default: row[1] = random_value(c, p); break;
    }
    if (extremes_only && c.one_in(3)) {
      for (int k = 2; k < 6; ++k) row[k] = extreme_value(c, p);
      continue;
    }
    const int64_t x1 = cx + c.range(-scale / 4 - 1, scale / 4 + 1);
    const int64_t y1 = cy + c.range(-scale / 4 - 1, scale / 4 + 1);
    int64_t w = c.range(0, scale), h = c.range(0, scale);
    if (c.one_in(8)) w = -w;  // an inverted box
    if (c.one_in(8)) h = -h;
    row[2] = clamp_to(x1, p);
    row[3] = clamp_to(y1, p);
    row[4] = clamp_to(x1 + w, p);
    row[5] = clamp_to(y1 + h, p);
  }
  const TensorType& vt = g.inputs[1];
  const int64_t n = t.shape[1];
  Tensor vc{vt.shape, vt.precision, std::vector<int32_t>(static_cast<size_t>(detail::size_of(vt.shape)))};
  for (int32_t& v : vc.data) {
    switch (c.range(0, 5)) {
      case 0: v = extreme_value(c, vt.precision); break;
      case 1: v = clamp_to(c.range(-2, -1), vt.precision); break;
      case 2: v = clamp_to(n + c.range(0, 2), vt.precision); break;
      default: v = clamp_to(c.range(0, n), vt.precision); break;
    }
  }
  return {data, vc};
}

}  // namespace

std::vector<Tensor> input_values(Chooser& c, const GeneratedCase& g, bool extremes_only) {
  const std::string& op = g.op;
  if (op == "take") {
    Tensor x = random_tensor(c, g.inputs[0], extremes_only);
    int64_t bound = detail::size_of(g.inputs[0].shape);
    if (auto it = g.attrs.find("axis"); it != g.attrs.end() && it->second != "None") {
      int64_t a = std::stoll(it->second);
      const int64_t n = static_cast<int64_t>(g.inputs[0].shape.size());
      if (a < 0) a += n;
      bound = g.inputs[0].shape[static_cast<size_t>(a)];
    }
    return {x, index_tensor(c, g.inputs[1], bound, extremes_only)};
  }
  if (op == "cvm_lut") {
    const int64_t bound = detail::size_of(g.inputs[1].shape);
    Tensor idx = index_tensor(c, g.inputs[0], bound, extremes_only);
    return {idx, random_tensor(c, g.inputs[1], extremes_only)};
  }
  if (op == "where") {
    const TensorType& ct = g.inputs[0];
    Tensor cond{ct.shape, ct.precision, std::vector<int32_t>(static_cast<size_t>(detail::size_of(ct.shape)))};
    for (int32_t& v : cond.data) {
      if (c.coin()) {
        v = 0;
      } else {
        v = extremes_only ? extreme_value(c, ct.precision) : random_value(c, ct.precision);
      }
    }
    return {cond, random_tensor(c, g.inputs[1], extremes_only), random_tensor(c, g.inputs[2], extremes_only)};
  }
  if (op == "get_valid_counts") return gvc_values(c, g, extremes_only);
  if (op == "non_max_suppression") return nms_values(c, g, extremes_only);
  std::vector<Tensor> out;
  out.reserve(g.inputs.size());
  for (const TensorType& t : g.inputs) out.push_back(random_tensor(c, t, extremes_only));
  if (op == "broadcast_div") {  // more zero divisors
    for (int32_t& v : out[1].data)
      if (c.one_in(5)) v = 0;
  }
  return out;
}

}  // namespace cvm::gen
