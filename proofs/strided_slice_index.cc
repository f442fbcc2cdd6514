// Index safety of strided_slice (spec/ops/strided_slice.rst, strided_slice_b3).
//
// One source: the goal instantiates the index function the reference kernel
// calls (include/cvm/rules/strided_slice_index.h) with Z3 expressions:
// strided_slice_clamp for b and e, strided_slice_nonempty as the hypothesis
// (the check strided_slice_c2 the runtime makes), strided_slice_length for o
// and strided_slice_source for the coordinate b + s k.
//
// Per axis, with d in [1, 2^24] (tensor_c2), begin and end entries any int64
// and s any non-zero int64 (strided_slice_c1), and every output coordinate
// 0 <= k <= o - 1: the length is in [1, d] (the shape rule's 1 <= o <= d),
// |s k| <= d - 1 (so the int64 product cannot wrap) and the source
// coordinate lies in [0, d - 1]. Padded entries (begin 0, end d, stride 1)
// are particular int64 values, so they are covered.
//
// The stride sign is the only structural split. s k and the division of
// |e - b| - 1 by a symbolic s are non-linear, and one query over the whole
// chain does not finish quickly, so each sign has four cases, each proving
// what the next assumes (all with the rule's own expressions):
//   [clamp]      begin, end any int64: the clamped b, e of a range that
//                passes strided_slice_c2 have b in [0, d - 1], e in [-1, d]
//                and 1 <= |e - b| <= d - b (s > 0) or b + 1 (s < 0) (linear);
//   [length]     then 1 <= o <= |e - b| <= d and |s| (o - 1) <= |e - b| - 1
//                (the division's defining inequality);
//   [product]    then 0 <= |s| k <= |e - b| - 1 for 0 <= k <= o - 1
//                (monotonicity of the product, symbolic, no constants);
//   [coordinate] then |s k| <= d - 1 (the int64 product cannot wrap) and
//                b + s k in [0, d - 1] (linear in the atom s k).
// Together: 8 queries, about 0.3 s.
//
// Negative controls, written here, never in the runtime: the end left
// unclamped (the clamp case is refuted: end = 2 on an axis of d = 1 leaves
// e = 2 > d, and b + s k would reach x[1]), and the off-by-one length
// 1 + |e - b| div |s| (the length case is refuted: one step too many when |s|
// divides |e - b|, e.g. o = 2 for b = 0, e = 1, s = 1).
#include "cvm/rules/strided_slice_index.h"

#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

using A = cvm::rules::Arith<z3::expr>;

enum class Variant { kRule, kEndUnclamped, kLengthOffByOne };

// The hypotheses shared by the cases: d in [1, 2^24] (tensor_c2), an int64
// stride of the case's sign (strided_slice_c1).
struct Axis {
  z3::expr d, s;
};
Axis declare_axis(Query& q, bool positive) {
  const z3::expr d = q.var("d"), s = q.var("s");
  const z3::expr i64 = q.num(kInt64Max);
  q.assume(1 <= d && d <= q.num(kMaxDim));
  q.assume(-i64 - 1 <= s && s <= i64);
  q.assume(positive ? s > 0 : s < 0);
  return {d, s};
}

// |e - b|, the distance the range covers (the rule's dist).
z3::expr distance(const z3::expr& b, const z3::expr& e, bool positive) {
  return positive ? e - b : b - e;
}

// What the clamp case proves about a non-empty range and the later cases
// assume about b and e: b in [0, d - 1] (the first coordinate is one of the
// axis), e in [-1, d] and 1 <= |e - b| <= d - b (s > 0) or <= b + 1 (s < 0):
// the range stays in [0, d - 1].
z3::expr range_facts(const z3::expr& d, bool positive, const z3::expr& b, const z3::expr& e) {
  const z3::expr dist = distance(b, e, positive);
  return 0 <= b && b <= d - 1 && -1 <= e && e <= d && 1 <= dist &&
         (positive ? dist <= d - b : dist <= b + 1);
}

// [clamp] begin and end any int64: the clamped b, e of a range that passes
// strided_slice_c2 satisfy range_facts. `v` kEndUnclamped: e only
// normalised, not clamped (the control).
void fill_clamp(Query& q, bool positive, Variant v) {
  const auto [d, s] = declare_axis(q, positive);
  const z3::expr bh = q.var("begin_i"), eh = q.var("end_i");
  const z3::expr i64 = q.num(kInt64Max);
  q.assume(-i64 - 1 <= bh && bh <= i64 && -i64 - 1 <= eh && eh <= i64);
  const z3::expr b = cvm::rules::strided_slice_clamp(bh, d, s);
  const z3::expr e = v == Variant::kEndUnclamped ? eh + z3::ite(eh < 0, d, q.num(0))
                                                 : cvm::rules::strided_slice_clamp(eh, d, s);
  q.assume(cvm::rules::strided_slice_nonempty(b, e, s));  // strided_slice_c2
  q.claim(range_facts(d, positive, b, e));
}

// The length o of the range from b to e (the rule's, or the control's
// 1 + |e - b| div |s|).
z3::expr length(const z3::expr& b, const z3::expr& e, const z3::expr& s, bool positive,
                Variant v) {
  if (v != Variant::kLengthOffByOne) return cvm::rules::strided_slice_length(b, e, s);
  const z3::expr dist = distance(b, e, positive);
  return (positive ? A::floor_div(dist, s) : A::floor_div(-dist, s)) + 1;
}

// [length] for b, e with range_facts: 1 <= o <= |e - b| (<= d: the shape
// rule's 1 <= o_i <= d_i) and |s| (o - 1) <= |e - b| - 1 (the last step
// stays before e).
void fill_length(Query& q, bool positive, Variant v) {
  const auto [d, s] = declare_axis(q, positive);
  const z3::expr b = q.var("b"), e = q.var("e");
  q.assume(range_facts(d, positive, b, e));
  const z3::expr dist = distance(b, e, positive);
  const z3::expr o = length(b, e, s, positive, v);
  const z3::expr abs_s = positive ? s : -s;
  q.claim(1 <= o && o <= dist && o <= d);
  q.claim(abs_s * (o - 1) <= dist - 1);
}

// [product] with the facts of [length], every output coordinate
// 0 <= k <= o - 1 has |s| k <= |s| (o - 1) <= |e - b| - 1: the step taken
// stays before e (monotonicity of the product in k; symbolic dist, no
// constants).
void fill_product(Query& q, bool positive) {
  const z3::expr s = q.var("s"), dist = q.var("dist"), o = q.var("o"), k = q.var("k");
  q.assume(positive ? s > 0 : s < 0);
  const z3::expr abs_s = positive ? s : -s;
  q.assume(1 <= o && o <= dist && abs_s * (o - 1) <= dist - 1);  // [length]
  q.assume(0 <= k && k <= o - 1);                                 // an output coordinate
  q.claim(0 <= abs_s * k && abs_s * k <= dist - 1);
}

// [coordinate] for b, e with range_facts, and the product s k with the facts
// [product] proves: |s k| <= |e - b| - 1 <= d - 1 (the int64 product cannot
// wrap) and the rule's b + s k lies in [0, d - 1]. s k is an atom here.
void fill_coordinate(Query& q, bool positive) {
  // Only what the argument needs: the sign of s (its int64 range and
  // d <= 2^24 play no part here, and their large constants slow the
  // non-linear solver down).
  const z3::expr d = q.var("d"), s = q.var("s");
  q.assume(positive ? s > 0 : s < 0);
  const z3::expr b = q.var("b"), e = q.var("e"), k = q.var("k");
  q.assume(range_facts(d, positive, b, e));
  const z3::expr dist = distance(b, e, positive);
  const z3::expr abs_s_k = positive ? s * k : -(s * k);
  q.assume(0 <= abs_s_k && abs_s_k <= dist - 1);  // [product]
  const z3::expr c = cvm::rules::strided_slice_source(b, s, k);
  q.claim(within(s * k, dist - 1) && dist - 1 <= d - 1);
  q.claim(0 <= c && c <= d - 1);
}

void cases(const EachCase& each, Variant v) {
  for (const bool positive : {true, false}) {
    const std::string sign = positive ? "s > 0" : "s < 0";
    if (v != Variant::kLengthOffByOne)
      each("clamp, " + sign, [positive, v](Query& q) { fill_clamp(q, positive, v); });
    if (v != Variant::kEndUnclamped)
      each("length, " + sign, [positive, v](Query& q) { fill_length(q, positive, v); });
    if (v == Variant::kRule) {
      each("product, " + sign, [positive](Query& q) { fill_product(q, positive); });
      each("coordinate, " + sign, [positive](Query& q) { fill_coordinate(q, positive); });
    }
  }
}

const Register registered({
    Goal{.label = "strided_slice_b3",
         .statement = "the index function of the kernel: for every int64 begin, end and non-zero "
                      "stride and every output coordinate k < o, 1 <= o <= d, |s k| <= d - 1 and "
                      "the source coordinate b + s k lies in [0, d - 1]",
         .math = R"(0 \le k < o_i \Rightarrow 0 \le b_i + s_i k \le d_i - 1,\ |s_i k| \le d_i - 1)",
         .negative_control = false,
         .cases = [](const auto& each) { cases(each, Variant::kRule); }},
    Goal{.label = "strided_slice_b3_neg_end_unclamped",
         .statement = "without clamping the end the coordinate can leave the axis: must be refuted",
         .math = R"(e_i \text{ unclamped} \;\Rightarrow\; 0 \le b_i + s_i k \le d_i - 1)",
         .negative_control = true,
         .cases = [](const auto& each) { cases(each, Variant::kEndUnclamped); }},
    Goal{.label = "strided_slice_b3_neg_length_off_by_one",
         .statement = "the length 1 + |e - b| div |s| (one too many when |s| divides |e - b|) "
                      "must be refuted",
         .math = R"(o_i = 1 + |e_i - b_i| \operatorname{div} |s_i| \;\Rightarrow\; 0 \le b_i + s_i k \le d_i - 1)",
         .negative_control = true,
         .cases = [](const auto& each) { cases(each, Variant::kLengthOffByOne); }},
});

}  // namespace
}  // namespace cvm::proofs
