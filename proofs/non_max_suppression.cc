// Lemmas for spec/ops/non_max_suppression.rst.
//
// Every coordinate c of data has |c| <= R(p) with p = p_data symbolic in
// [1, 32]; L = 2 R(p). b1 models an output value as an element of data or the
// fill -1 with p_y = max(p, 2). b2 bounds the coordinate differences by L.
// b3 is compositional, each case one query over symbolic integers:
//   areas:        |dx|, |dy| <= L  =>  |dx * dy| <= L^2 (L >= 0 symbolic), and
//                 L^2 < 2^64 (split over p, so L is a constant);
//   intersection: w, h in [0, L]   =>  0 <= I = w * h <= L^2;
//   I <= areas:   for symbolic boxes, I > 0 needs w, h > 0, and then
//                 I <= a_A (and I <= a_B by swapping A and B); else I = 0;
//   union:        |a_A|, |a_B| <= M, 0 <= I <= M (M = L^2 < 2^64) => |S| <= 2M,
//                 |U| <= 3M < 2^66, 100 I <= 100 M < 2^71;
//   I <= U:       from the previous case, when U >= 1;
//   quotients:    both IOU branches, with 0 <= I <= U and U >= 1, give a
//                 divisor >= 1 and a quotient in [0, 100].
#include "cvm/rules/precision.h"
#include "lemma.h"
#include "z3_arith.h"

#include <string>

namespace cvm::proofs {
namespace {

constexpr int64_t kGuard = 92233720368547758;  // floor((2^63 - 1) / 100)

z3::expr big(Query& q, const char* s) { return q.ctx().int_val(s); }
z3::expr min2(const z3::expr& a, const z3::expr& b) { return z3::ite(a <= b, a, b); }
z3::expr max2(const z3::expr& a, const z3::expr& b) { return z3::ite(a >= b, a, b); }

z3::expr coord(Query& q, const std::string& name, const z3::expr& r) {
  const z3::expr c = q.var(name);
  q.assume(within(c, r));
  return c;
}

void fill_b1(Query& q, int min_py) {
  const z3::expr p = q.var("p_data");
  const z3::expr v = q.var("v");
  const z3::expr f = q.var("is_fill");
  q.assume(1 <= p && p <= 32);
  q.assume(within_range(q, v, p));
  q.assume(0 <= f && f <= 1);
  const z3::expr y = z3::ite(f == 1, q.num(-1), v);
  // The runtime's rule max(p, 2), or (the control, min_py = 1) upstream's p.
  const z3::expr py = min_py == 2 ? rules::at_least_two_precision(p) : p;
  q.claim(py <= 32);
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

// `int32` claims the differences fit int32 instead (negative control).
void fill_b2(Query& q, bool int32) {
  const z3::expr p = q.var("p_data");
  q.assume(1 <= p && p <= 32);
  const z3::expr r = range_expr(q, p);
  const z3::expr l = 2 * r;
  const z3::expr x1a = coord(q, "x1_A", r), x2a = coord(q, "x2_A", r);
  const z3::expr x1b = coord(q, "x1_B", r), x2b = coord(q, "x2_B", r);
  const z3::expr d1 = x2a - x1a;
  const z3::expr d2 = min2(x2a, x2b) - max2(x1a, x1b);
  const z3::expr lim = int32 ? q.num(kInt32Max) : q.num(kInt64Max);
  if (!int32) {
    q.claim(within(d1, l));
    q.claim(within(d2, l));
    q.claim(l <= big(q, "4294967294"));
  }
  q.claim(within(d1, lim));
  q.claim(within(d2, lim));
}

// areas, product step: |dx|, |dy| <= L (L >= 0 symbolic) => |dx * dy| <= L^2.
void fill_area_product(Query& q) {
  const z3::expr l = q.var("L");
  q.assume(0 <= l);
  const z3::expr dx = q.var("dx"), dy = q.var("dy");
  q.assume(within(dx, l) && within(dy, l));
  q.claim(within(dx * dy, l * l));
}

// areas, size step for one p: L = 2 R(p) and L^2 < 2^64 (`int64`: the
// control claims L^2 fits int64 instead, refuted at p = 32).
void fill_area_size(Query& q, int p, bool int64) {
  const z3::expr pv = q.var("p_data");
  q.assume(pv == p);
  const z3::expr l = q.var("L");
  q.assume(l == 2 * range_expr(q, pv));
  const z3::expr l2 = q.var("L2");
  q.assume(l2 == q.num(2 * range_of(p)) * q.num(2 * range_of(p)));
  q.assume(l2 == l * q.num(2 * range_of(p)));
  if (int64)
    q.claim(l2 <= q.num(kInt64Max));
  else
    q.claim(l2 < big(q, "18446744073709551616"));  // 2^64
}

void fill_intersection(Query& q) {
  const z3::expr l = q.var("L");
  q.assume(0 <= l);
  const z3::expr w = q.var("w"), h = q.var("h");
  q.assume(0 <= w && w <= l && 0 <= h && h <= l);
  q.claim(0 <= w * h && w * h <= l * l);
}

void fill_i_le_areas(Query& q) {
  const z3::expr x1a = q.var("x1_A"), y1a = q.var("y1_A"), x2a = q.var("x2_A"), y2a = q.var("y2_A");
  const z3::expr x1b = q.var("x1_B"), y1b = q.var("y1_B"), x2b = q.var("x2_B"), y2b = q.var("y2_B");
  const z3::expr w = max2(q.num(0), min2(x2a, x2b) - max2(x1a, x1b));
  const z3::expr h = max2(q.num(0), min2(y2a, y2b) - max2(y1a, y1b));
  const z3::expr wv = q.var("w"), hv = q.var("h");
  q.assume(wv == w && hv == h);
  // I = w * h > 0 needs w, h > 0; then I <= a_A (a_B is symmetric: swap A, B).
  q.assume(wv > 0 && hv > 0);
  q.claim(wv * hv <= (x2a - x1a) * (y2a - y1a));
}

void fill_union(Query& q) {
  const z3::expr m = q.var("M");  // L^2
  q.assume(0 <= m && m < big(q, "18446744073709551616"));
  const z3::expr aa = q.var("a_A"), ab = q.var("a_B"), i = q.var("I");
  q.assume(within(aa, m) && within(ab, m) && 0 <= i && i <= m);
  const z3::expr s = aa + ab;
  const z3::expr u = s - i;
  q.claim(within(s, 2 * m));
  q.claim(within(u, 3 * m));
  q.claim(3 * m < big(q, "73786976294838206464"));  // 2^66
  q.claim(0 <= 100 * i && 100 * i <= 100 * m);
  q.claim(100 * m < big(q, "2361183241434822606848"));  // 2^71
}

void fill_i_le_u(Query& q) {
  const z3::expr aa = q.var("a_A"), ab = q.var("a_B"), i = q.var("I");
  q.assume(0 <= i);
  q.assume(i == 0 || (i <= aa && i <= ab));
  const z3::expr u = aa + ab - i;
  q.assume(u >= 1);
  q.claim(i <= u);
}

// (100 I) quot U with 0 <= I <= U, U >= 1, I <= kGuard.
void fill_quot_plain(Query& q, bool with_i_le_u) {
  const z3::expr i = q.var("I"), u = q.var("U"), qt = q.var("quot");
  q.assume(0 <= i && u >= 1);
  if (with_i_le_u) q.assume(i <= u);
  q.assume(qt * u <= 100 * i && 100 * i < (qt + 1) * u);
  q.claim(0 <= qt && qt <= 100);
}

// I quot (U quot 100) with I > kGuard, I <= U.
void fill_quot_guard(Query& q) {
  const z3::expr i = q.var("I"), u = q.var("U"), d = q.var("U_quot_100"), qt = q.var("quot");
  q.assume(i > q.num(kGuard) && i <= u);
  q.assume(100 * d <= u && u < 100 * d + 100);
  q.claim(d >= 1);
  q.assume(d >= 1);
  q.assume(qt * d <= i && i < (qt + 1) * d);
  q.claim(0 <= qt && qt <= 100);
}

const Register registered({
    Goal{.label = "non_max_suppression_b1",
         .statement = "every output value (an element of data or -1) has |y| <= R(max(p_data, 2)) "
                      "<= 2^31 - 1",
         .math = R"(|y| \le R(\max(p_{data}, 2)) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all p_data", [](Query& q) { fill_b1(q, 2); })},
    Goal{.label = "non_max_suppression_b1_neg_upstream",
         .statement = "upstream's rule p_y = p_data (errata E-non_max_suppression-5) cannot hold the -1 rows: must be refuted",
         .math = R"(p_y = p_{data} \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all p_data", [](Query& q) { fill_b1(q, 1); })},
    Goal{.label = "non_max_suppression_b2",
         .statement = "every coordinate difference has magnitude <= L = 2 R(p_data) <= 2^32 - 2 "
                      "(fits int64)",
         .math = R"(|\Delta| \le L = 2 R(p_{data}) \le 2^{32} - 2)",
         .negative_control = false,
         .cases = single_case("all p_data", [](Query& q) { fill_b2(q, false); })},
    Goal{.label = "non_max_suppression_b2_neg_int32",
         .statement = "the coordinate differences need not fit int32: must be refuted",
         .math = R"(|\Delta| \le 2^{31}-1)",
         .negative_control = true,
         .cases = single_case("all p_data", [](Query& q) { fill_b2(q, true); })},
    Goal{.label = "non_max_suppression_b3",
         .statement = "|a_A|, |a_B| <= L^2 < 2^64, |S| <= 2 L^2, 0 <= I <= L^2, |U| <= 3 L^2 < "
                      "2^66, dividend <= 100 L^2 < 2^71, divisor >= 1, IOU in [0, 100]",
         .math = R"(|a| \le L^2 < 2^{64},\ 0 \le I \le L^2,\ |U| \le 3 L^2,\ 100 I < 2^{71},\ \mathit{IOU} \in [0, 100])",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               each("area product", fill_area_product);
               each_value(each, "L^2 < 2^64, p_data", 1, 32,
                          [](Query& q, int p) { fill_area_size(q, p, false); });
               each("intersection", fill_intersection);
               each("I <= areas", fill_i_le_areas);
               each("union", fill_union);
               each("I <= U", fill_i_le_u);
               each("quotient (100 I) quot U", [](Query& q) { fill_quot_plain(q, true); });
               each("quotient I quot (U quot 100)", fill_quot_guard);
             }},
    Goal{.label = "non_max_suppression_b3_neg_area_int64",
         .statement = "areas need not fit int64: must be refuted",
         .math = R"(|a| \le 2^{63} - 1)",
         .negative_control = true,
         .cases = split_over("L^2 fits int64, p_data", 1, 32,
                             [](Query& q, int p) { fill_area_size(q, p, true); })},
    Goal{.label = "non_max_suppression_b3_neg_quot_without_i_le_u",
         .statement = "without I <= U the quotient can exceed 100: must be refuted",
         .math = R"(I \not\le U \;\Rightarrow\; \mathit{IOU} \le 100)",
         .negative_control = true,
         .cases = single_case("quotient (100 I) quot U",
                              [](Query& q) { fill_quot_plain(q, false); })},
});

}  // namespace
}  // namespace cvm::proofs
