// Lemmas for spec/ops/max_pool2d.rst.
//
// max_pool2d_b1: the reference keeps (found, acc): found starts false; a
// window cell inside x with value v sets acc' = (!found || v > acc ? v : acc)
// and found' = true; a cell outside x changes nothing. Invariant
// found => |acc| <= R(p_x), by induction (vacuous at the start, kept by each
// step). At the end found holds (max_pool2d_b2), so y = acc has
// |y| <= R(p_x) = R(p_y) <= 2^31 - 1, for every p_x in [1, 32] (symbolic).
//
// max_pool2d_b2, for one axis (rows: H, P_H, K_H, S_H, H_out; the columns are
// the same statement with W, P_W, K_W, S_W, W_out, checked as a second case),
// with all of them symbolic in the ranges the page allows (H <= 2^24,
// P in [0, 4096], S in [1, 4096], either ceil_mode), the shape rule written
// as floor division ((H_out - 1) S <= span < H_out S), c6, c7 and c8 (the
// products h' S and (H_out - 1) S are handled by two small cases, below):
//   every window h' in [0, H_out) holds a row of x: the witness
//   r* = max(0, P - h' S) has 0 <= r* < K and 0 <= h' S + r* - P < H;
//   every index h' S + r - P (0 <= r < K) lies in [-P, H + K) and below 2^26
//   in magnitude (the reference computes it in int64).
// A further case checks the page's remark that c8 always holds without
// ceil_mode (there it follows from c6, c7 and the shape rule).
#include "lemma.h"

#include <string>

namespace cvm::proofs {
namespace {

// `minus` is 0 for the rule p_y = p_x, 1 for the weakened control.
void fill_b1(Query& q, int minus) {
  const z3::expr px = q.var("p_x");
  const z3::expr found = q.var("found");
  const z3::expr acc = q.var("acc");
  const z3::expr v = q.var("x_cell");  // a window cell inside x
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;
  q.assume(1 <= py && py <= 32);  // op_c3
  q.assume(found == 0 || found == 1);
  const z3::expr rx = range_expr(q, px);
  q.assume(within(v, rx));
  q.assume(z3::implies(found == 1, within(acc, rx)));  // induction hypothesis
  const z3::expr acc1 = z3::ite(found == 0 || v > acc, v, acc);
  q.claim(within(acc1, rx));  // step (found' = true)
  // The output: found holds at the end (max_pool2d_b2).
  q.claim(z3::implies(found == 1, within_range(q, acc, py)));
  q.claim(within_range(q, acc1, py));
  q.claim(z3::implies(found == 1, fits_int32(q, acc)));
}

// The products h' S and (H_out - 1) S make the window statement non-linear,
// and Z3 does not decide monotonicity of products by itself. Two small cases
// carry the non-linear part, so the axis cases are linear in T = h' S and
// L = (H_out - 1) S:
// [sign] u >= 0 and S >= 1 give u S >= 0 (used with u = h' and
//   u = H_out - 1 - h', both >= 0: T >= 0);
// [identities] L - T = (H_out - 1 - h') S (so L - T >= 0 by [sign]) and
//   H_out S = L + S (so the shape rule (H_out - 1) S <= span < H_out S reads
//   L <= span < L + S).
void fill_sign(Query& q) {
  const z3::expr u = q.var("u");
  const z3::expr s = q.var("S");
  q.assume(0 <= u && 1 <= s && s <= 4096);
  q.claim(u * s >= 0);
}

void fill_identities(Query& q) {
  const z3::expr out = q.var("H_out");
  const z3::expr hp = q.var("i_H");
  const z3::expr s = q.var("S");
  q.claim((out - 1) * s - hp * s == (out - 1 - hp) * s);
  q.claim(out * s == (out - 1) * s + s);
}

// One axis of max_pool2d_b2. `c8` assumes max_pool2d_c8; `c8_only` instead
// fixes ceil_mode false and claims c8 itself. `stride` > 0 fixes S to that
// constant and ties L and T to H_out and h' exactly (linear then), so that
// the negative control's counterexample is a real configuration.
void fill_b2(Query& q, const std::string& d_name, bool c8, bool c8_only, int stride = 0) {
  const z3::expr d = q.var(d_name);
  const z3::expr p = q.var("P_" + d_name);
  const z3::expr k = q.var("K_" + d_name);
  const z3::expr s = q.var("S_" + d_name);
  const z3::expr ceil_mode = q.var("ceil_mode");
  const z3::expr last = q.var("L_" + d_name);  // (H_out - 1) S, the last window's start + P
  const z3::expr t = q.var("T_" + d_name);     // h' S, this window's start + P
  const z3::expr r = q.var("r");               // a window offset
  q.assume(1 <= d && d <= q.num(kMaxDim));
  q.assume(0 <= p && p <= 4096);
  q.assume(1 <= s && s <= 4096);
  q.assume(ceil_mode == 0 || ceil_mode == 1);
  if (stride > 0) {
    const z3::expr out = q.var(d_name + "_out");
    const z3::expr hp = q.var("i_" + d_name);
    q.assume(s == stride);
    q.assume(last == (out - 1) * stride && t == hp * stride && 0 <= hp && hp <= out - 1);
  }
  q.assume(0 <= k && k <= d + 2 * p);  // c6
  q.assume(p < k);                     // c7
  const z3::expr span = z3::ite(ceil_mode == 1, d + 2 * p - k + s - 1, d + 2 * p - k);
  q.assume(last <= span && span < last + s);  // shape rule: L = (span div S) * S
  q.assume(0 <= last);                        // [sign] with u = H_out - 1
  const z3::expr last_start = last - p;
  if (c8_only) {
    q.assume(ceil_mode == 0);
    q.claim(last_start < d);
    return;
  }
  if (c8) q.assume(last_start < d);
  q.assume(0 <= t && t <= last);  // [sign], [identities]
  q.assume(0 <= r && r < k);
  const z3::expr start = t - p;
  const z3::expr r_star = z3::ite(start >= 0, q.num(0), -start);
  q.claim(0 <= r_star && r_star < k);
  q.claim(0 <= start + r_star && start + r_star < d);
  const z3::expr index = start + r;
  q.claim(-p <= index && index < d + k);
  q.claim(within(index, q.num((int64_t{1} << 26) - 1)));
}

const Register registered({
    Goal{.label = "max_pool2d_b1",
         .statement = "the running maximum over the cells of x in a window stays within "
                      "R(p_x) = R(p_y) <= 2^31 - 1, so every output value does",
         .math = R"(|\max_{\mathrm{window}} x| \le R(p_x) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill_b1(q, 0); })},
    Goal{.label = "max_pool2d_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .math = R"(p_y = p_x - 1 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill_b1(q, 1); })},
    Goal{.label = "max_pool2d_b2",
         .statement = "every window holds a cell of x (witness max(0, P - h' S)), every index "
                      "lies in [-P, H + K) with magnitude < 2^26; c8 holds without ceil_mode",
         .math = R"(\text{every window meets } x,\ -P \le \mathit{index} < H + K,\ |\mathit{index}| < 2^{26})",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               each("sign", [](Query& q) { fill_sign(q); });
               each("identities", [](Query& q) { fill_identities(q); });
               each("rows", [](Query& q) { fill_b2(q, "H", true, false); });
               each("columns", [](Query& q) { fill_b2(q, "W", true, false); });
               each("c8 without ceil_mode", [](Query& q) { fill_b2(q, "H", false, true); });
             }},
    Goal{.label = "max_pool2d_b2_neg_without_c8",
         .statement = "without max_pool2d_c8 (ceil_mode's last window may start past x) a window "
                      "can miss x: must be refuted (shown with S = 2)",
         .math = R"(\neg\,\mathrm{c8} \;\Rightarrow\; \text{every window meets } x)",
         .negative_control = true,
         .cases = single_case("rows", [](Query& q) { fill_b2(q, "H", false, false, 2); })},
});

}  // namespace
}  // namespace cvm::proofs
