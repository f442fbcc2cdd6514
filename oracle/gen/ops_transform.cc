// Builders: shape transforms, selection and lookup operators.
#include <algorithm>
#include <limits>
#include <string>

#include "cvm/intmath.h"
#include "gen/op_cases_internal.h"

namespace cvm::gen::detail {
namespace {

int64_t min1(int64_t v) { return std::max<int64_t>(1, v); }

TensorType x_of(Ctx& g, int rank_lo = 1, int rank_hi = 6, int64_t max_elems = 0) {
  if (auto t = g.input0([&](const TensorType& t0) {
        const int r = static_cast<int>(t0.shape.size());
        return r >= rank_lo && r <= rank_hi;
      }))
    return *t;
  return g.type(rank_lo, rank_hi, 1, 32, max_elems > 0 ? std::min(max_elems, g.max_elements) : g.max_elements);
}

template <typename T>
void shuffle(Chooser& c, std::vector<T>& v) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<size_t>(c.range(0, static_cast<int64_t>(i) - 1))]);
}

std::optional<Draft> flatten(Ctx& g) { return Draft{{}, {x_of(g)}}; }

std::optional<Draft> reshape(Ctx& g) {
  Chooser& c = g.c;
  TensorType x = x_of(g);
  const Shape& s = x.shape;
  const int n = static_cast<int>(s.size());
  std::vector<int64_t> codes;
  int out_rank = 0;
  bool used_infer = false;
  int cur = 0;
  while (cur < n) {
    const int left = n - cur;
    const int64_t dc = s[static_cast<size_t>(cur)];
    const int64_t choice = c.range(0, 9);
    if (choice == 0 && !used_infer && c.coin()) {  // -1 for the whole rest
      codes.push_back(-1);
      used_infer = true;
      ++out_rank;
      cur = n;
    } else if (choice == 1) {  // -2: copy the rest
      codes.push_back(-2);
      out_rank += left;
      cur = n;
    } else if (choice == 2 && left >= 2) {  // -3: merge two
      codes.push_back(-3);
      ++out_rank;
      cur += 2;
    } else if (choice == 3 && out_rank + left < 6) {  // -4: split one
      const int64_t a = [&] {
        std::vector<int64_t> ds;
        for (int64_t k = 1; k <= dc; ++k)
          if (dc % k == 0) ds.push_back(k);
        return c.pick(ds);
      }();
      const int64_t b = dc / a;
      codes.push_back(-4);
      switch (c.range(0, 2)) {
        case 0: codes.push_back(a); codes.push_back(b); break;
        case 1: codes.push_back(-1); codes.push_back(b); break;
        default: codes.push_back(a); codes.push_back(-1); break;
      }
      out_rank += 2;
      ++cur;
    } else if (choice == 4 && !used_infer) {  // -1 standing for d_c
      codes.push_back(-1);
      used_infer = true;
      ++out_rank;
      ++cur;
    } else if (choice == 5 || choice == 6) {  // literal d_c
      codes.push_back(dc);
      ++out_rank;
      ++cur;
    } else if (choice == 7 && !used_infer) {  // literal product of the rest, then stop
      int64_t p = 1;
      for (int k = cur; k < n; ++k) p *= s[static_cast<size_t>(k)];
      codes.push_back(p);
      ++out_rank;
      cur = n;
    } else {  // 0: copy d_c
      codes.push_back(0);
      ++out_rank;
      ++cur;
    }
  }
  // Trailing literal 1s and a -2 that appends nothing (the cursor is past the end).
  while (out_rank < 6 && c.one_in(4)) {
    codes.push_back(1);
    ++out_rank;
  }
  if (c.one_in(6)) codes.push_back(-2);
  if (codes.empty()) codes.push_back(-1);
  Draft d{{}, {x}};
  d.attrs["shape"] = tup(codes);
  return d;
}

std::optional<Draft> expand_dims(Ctx& g) {
  TensorType x = x_of(g, 1, 5);
  const int64_t n = static_cast<int64_t>(x.shape.size());
  Draft d{{}, {x}};
  d.attrs["axis"] = itos(g.c.range(-n - 1, n));
  if (g.c.coin()) d.attrs["num_newaxis"] = itos(g.c.range(1, 6 - n));
  return d;
}

std::optional<Draft> squeeze(Ctx& g) {
  Chooser& c = g.c;
  TensorType x = x_of(g);
  if (!g.req.input0) {
    for (int64_t& dim : x.shape)
      if (c.one_in(3)) dim = 1;
  }
  const int64_t n = static_cast<int64_t>(x.shape.size());
  Draft d{{}, {x}};
  switch (c.range(0, 3)) {
    case 0: break;
    case 1: d.attrs["axis"] = "()"; break;
    default: {
      std::vector<int64_t> axes;
      for (int64_t i = 0; i < n; ++i) {
        if (x.shape[static_cast<size_t>(i)] != 1 || !c.coin()) continue;
        axes.push_back(c.coin() ? i : i - n);
        if (c.one_in(5)) axes.push_back(c.coin() ? i : i - n);  // a repeat
      }
      shuffle(c, axes);
      d.attrs["axis"] = tup(axes);
    }
  }
  return d;
}

std::optional<Draft> transpose(Ctx& g) {
  Chooser& c = g.c;
  TensorType x = x_of(g);
  const int64_t n = static_cast<int64_t>(x.shape.size());
  Draft d{{}, {x}};
  switch (c.range(0, 3)) {
    case 0: break;
    case 1: d.attrs["axes"] = "()"; break;
    default: {
      std::vector<int64_t> axes(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) axes[static_cast<size_t>(i)] = i;
      shuffle(c, axes);
      for (int64_t& a : axes)
        if (c.one_in(3)) a -= n;
      d.attrs["axes"] = tup(axes);
    }
  }
  return d;
}

/// Room for the output to grow: x gets a quarter, a sixteenth... of the budget.
int64_t growth_room(Ctx& g) { return min1(g.max_elements / g.c.pick(std::vector<int64_t>{1, 4, 16, 64, 256})); }

std::optional<Draft> repeat(Ctx& g) {
  Chooser& c = g.c;
  TensorType x = x_of(g, 1, 6, growth_room(g));
  const int64_t n = static_cast<int64_t>(x.shape.size());
  const int64_t r_max = min1(g.max_elements / min1(size_of(x.shape)));
  Draft d{{}, {x}};
  d.attrs["repeats"] = itos(c.coin() ? c.range(1, std::min<int64_t>(r_max, 4)) : c.range(1, r_max));
  if (c.coin()) d.attrs["axis"] = itos(c.range(-n, n - 1));
  return d;
}

std::optional<Draft> tile(Ctx& g) {
  Chooser& c = g.c;
  TensorType x = x_of(g, 1, 6, growth_room(g));
  const int n = static_cast<int>(x.shape.size());
  int m = c.coin() ? n : g.rank(1, 6);
  int64_t budget = min1(g.max_elements / min1(size_of(x.shape)));
  std::vector<int64_t> reps(static_cast<size_t>(m));
  for (int64_t& r : reps) {
    r = c.one_in(3) ? 1 : c.one_in(8) ? c.range(1, std::min<int64_t>(budget, 4096)) : random_dim(c, std::min<int64_t>(budget, 4096));
    budget = min1(budget / r);
  }
  shuffle(c, reps);
  Draft d{{}, {x}};
  d.attrs["reps"] = tup(reps);
  return d;
}

std::optional<Draft> concatenate(Ctx& g) {
  Chooser& c = g.c;
  const int64_t count = c.one_in(4) ? 1 : c.range(2, c.one_in(4) ? 8 : 4);
  TensorType x0 = x_of(g, 1, 6, g.max_elements / count);
  const int64_t n = static_cast<int64_t>(x0.shape.size());
  Draft d;
  int64_t axis;
  if (n >= 2 && c.one_in(3)) {
    axis = 1;  // the default
  } else {
    axis = c.range(-n, n - 1);
    d.attrs["axis"] = itos(axis);
  }
  const size_t a = static_cast<size_t>(axis < 0 ? axis + n : axis);
  d.inputs.push_back(x0);
  int64_t rest = size_of(x0.shape) / x0.shape[a];
  int64_t budget = g.max_elements / min1(rest) - x0.shape[a];
  for (int64_t k = 1; k < count && budget >= 1; ++k) {
    TensorType t{x0.shape, g.prec(1, 32)};
    t.shape[a] = c.coin() ? x0.shape[a] : random_dim(c, std::min<int64_t>(budget, 65));
    if (t.shape[a] > budget) t.shape[a] = budget;
    budget -= t.shape[a];
    d.inputs.push_back(t);
  }
  return d;
}

/// A begin value spelled to mean index v (0 <= v < dim) for a positive stride.
int64_t spell_index(Chooser& c, int64_t v, int64_t dim) {
  switch (c.range(0, 3)) {
    case 0: return v - dim;  // negative, counts from the end
    default: return v;
  }
}

/// A large int64 magnitude (>= 1), up to INT64_MAX.
int64_t huge(Chooser& c) {
  switch (c.range(0, 3)) {
    case 0: return std::numeric_limits<int64_t>::max();
    case 1: return int64_t{1} << 31;
    case 2: return int64_t{1} << 40;
    default: return c.range(1, 100);
  }
}

constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();

std::optional<Draft> strided_slice(Ctx& g) {
  Chooser& c = g.c;
  TensorType x = x_of(g);
  const Shape& s = x.shape;
  const int n = static_cast<int>(s.size());
  // Lengths of the three tuples (axes beyond a length take the default).
  const int ls = static_cast<int>(c.range(0, n));
  const int lb = static_cast<int>(c.range(0, n));
  int le = static_cast<int>(c.range(0, n));
  const bool end_omitted = c.one_in(6);
  const bool begin_omitted = lb == 0 && c.coin();
  const bool stride_omitted = ls == 0 && c.coin();
  if (end_omitted) le = 1;
  std::vector<int64_t> begin(static_cast<size_t>(lb)), end(static_cast<size_t>(le)), stride(static_cast<size_t>(ls));
  for (int i = 0; i < n; ++i) {
    const size_t iu = static_cast<size_t>(i);
    const int64_t dim = s[iu];
    const bool end_fixed = end_omitted && i == 0;  // default end (1,): e_0 = 1
    int64_t st = 1;
    if (i < ls) {
      switch (c.range(0, 5)) {
        case 0: st = c.range(2, 4); break;
        case 1: st = -c.range(1, 3); break;
        case 2: st = c.one_in(4) ? huge(c) : c.range(1, dim + 3); break;
        case 3:
          st = c.one_in(4) ? (c.one_in(3) ? kMin64 : -huge(c)) : c.range(-dim - 2, -1);
          break;
        default: st = 1; break;
      }
      // A negative stride needs an explicit end (the padded one runs the wrong way).
      if (st < 0 && (i >= le || end_fixed)) st = c.range(1, 3);
      stride[iu] = st;
    }
    if (st > 0) {
      const int64_t b = (i < lb && !end_fixed) ? c.range(0, dim - 1) : 0;
      if (i < lb) {
        if (b == 0 && c.one_in(4)) begin[iu] = c.one_in(3) ? kMin64 : -dim - c.range(0, 5);
        else begin[iu] = spell_index(c, b, dim);
      }
      if (i < le && !end_fixed) {
        const int64_t e = c.range(b + 1, dim);
        end[iu] = e == dim ? (c.coin() ? dim : std::max(dim, huge(c))) : spell_index(c, e, dim);
      }
    } else {
      // Negative stride: clamp range (-1, dim - 1); need e < b.
      int64_t b = 0;
      if (i < lb) {
        b = dim > 1 ? c.range(1, dim - 1) : 0;
        if (c.one_in(5)) b = 0;
        begin[iu] = (b == dim - 1 && c.one_in(3)) ? std::max(dim - 1, huge(c)) : spell_index(c, b, dim);
      }
      const int64_t e = b == 0 ? -1 : c.range(-1, b - 1);
      end[iu] = e == -1 ? (c.one_in(4) ? kMin64 : -dim - 1 - c.range(0, 3)) : spell_index(c, e, dim);
    }
  }
  Draft d{{}, {x}};
  // Entries past the rank are ignored: sometimes add junk there (zero strides too).
  if (c.one_in(6) && ls == n && !stride_omitted) stride.push_back(c.range(-1, 1));
  if (c.one_in(8) && lb == n) begin.push_back(c.range(-9, 9));
  if (!begin_omitted) d.attrs["begin"] = tup(begin);
  if (!end_omitted) d.attrs["end"] = tup(end);
  if (!stride_omitted) d.attrs["stride"] = tup(stride);
  return d;
}

std::optional<Draft> slice_like(Ctx& g) {
  Chooser& c = g.c;
  TensorType x = x_of(g);
  const int nx = static_cast<int>(x.shape.size());
  Draft d;
  std::vector<int64_t> axes;
  const bool empty_axis = c.coin();
  const int nl = empty_axis ? nx : g.rank(1, 6);
  const int mn = std::min(nx, nl);
  if (!empty_axis) {
    const int count = static_cast<int>(c.range(1, mn + 1));
    for (int k = 0; k < count; ++k) {
      int64_t a = c.range(0, mn - 1);
      // a negative spelling normalises with nx and must still be < mn
      if (c.coin() && a - nx >= -nx) a -= nx;
      axes.push_back(a);
    }
    d.attrs["axis"] = tup(axes);
  } else if (c.coin()) {
    d.attrs["axis"] = "()";
  }
  std::vector<bool> in_a(static_cast<size_t>(nl), empty_axis);
  for (int64_t a : axes) in_a[static_cast<size_t>(a < 0 ? a + nx : a)] = true;
  TensorType like{Shape(static_cast<size_t>(nl)), g.prec(1, 32)};
  for (int i = 0; i < nl; ++i) {
    if (in_a[static_cast<size_t>(i)]) like.shape[static_cast<size_t>(i)] = c.range(1, x.shape[static_cast<size_t>(i)]);
    else like.shape[static_cast<size_t>(i)] = random_dim(c, 9);
  }
  d.inputs = {x, like};
  return d;
}

std::optional<Draft> take(Ctx& g) {
  Chooser& c = g.c;
  TensorType x = x_of(g);
  const int n = static_cast<int>(x.shape.size());
  Draft d;
  std::optional<int64_t> axis;
  switch (c.range(0, 3)) {
    case 0: break;
    case 1: d.attrs["axis"] = "None"; break;
    default: axis = c.range(-n, n - 1); d.attrs["axis"] = itos(*axis); break;
  }
  int max_m = 6;
  int64_t elem_budget = g.max_elements;
  if (axis) {
    max_m = 6 - (n - 1);
    const size_t a = static_cast<size_t>(*axis < 0 ? *axis + n : *axis);
    elem_budget = g.max_elements / min1(size_of(x.shape) / x.shape[a]);
  }
  if (max_m < 1) return std::nullopt;
  TensorType idx{random_shape(c, g.rank(1, max_m), min1(elem_budget)), g.prec(1, 32)};
  d.inputs = {x, idx};
  return d;
}

std::optional<Draft> cvm_lut(Ctx& g) {
  Chooser& c = g.c;
  TensorType idx = x_of(g);
  TensorType table = g.type(1, 6, 1, 32, c.coin() ? 16 : g.max_elements);
  Draft d{{}, {idx, table}};
  d.attrs["in_dim"] = itos(size_of(table.shape));
  return d;
}

std::optional<Draft> where(Ctx& g) {
  Chooser& c = g.c;
  TensorType cond;
  Shape s;
  if (auto t = g.input0([](const TensorType&) { return true; })) {
    cond = *t;
    if (cond.shape.size() == 1 && c.coin()) {
      // row select: x of any rank with d0 = len(cond)
      const int r = g.rank(1, 6);
      s = random_shape(c, r, min1(g.max_elements / cond.shape[0]));
      s[0] = cond.shape[0];
    } else {
      s = cond.shape;
    }
  } else {
    s = random_shape(c, g.rank(1, 6), g.max_elements);
    cond.shape = c.coin() ? s : Shape{s[0]};
    cond.precision = g.prec(1, 32);
  }
  Draft d{{}, {cond, TensorType{s, g.prec(1, 32)}, TensorType{s, g.prec(1, 32)}}};
  return d;
}

}  // namespace

Builder transform_builder(std::string_view op) {
  if (op == "flatten") return flatten;
  if (op == "reshape") return reshape;
  if (op == "expand_dims") return expand_dims;
  if (op == "squeeze") return squeeze;
  if (op == "transpose") return transpose;
  if (op == "repeat") return repeat;
  if (op == "tile") return tile;
  if (op == "concatenate") return concatenate;
  if (op == "strided_slice") return strided_slice;
  if (op == "slice_like") return slice_like;
  if (op == "take") return take;
  if (op == "cvm_lut") return cvm_lut;
  if (op == "where") return where;
  return nullptr;
}

}  // namespace cvm::gen::detail
