// The glue between the operator lemmas and a whole model, machine-checked
// (spec/model/inference.rst, "Bounds"; docs/proofs.rst, "Composition").
//
// Both arguments are inductions over the natural numbers. Z3 does not do
// induction, so each goal proves the induction's core instead: a *least*
// counterexample cannot exist. Given the hypotheses, the query asserts an n
// that breaks the claim while every smaller index satisfies it, and must be
// unsatisfiable; well-ordering of the naturals then gives the claim for
// every n. The structures (the graph, the partial sums) are uninterpreted
// functions, so each goal covers every model and every sum at once.
//
// infer_b1 (composition): nodes and variables are numbered 0, 1, ... in node
//   order; ok(i) says "every value of entry i lies within its precision".
//   Hypotheses: every input of node i has a smaller id (graph_c15); every
//   variable is ok (the data input is saturated, params checked, model_c5);
//   every operator node whose inputs are all ok is ok (its lemmas, whose
//   hypotheses validation established). Claim: no least i >= 0 with
//   not ok(i). A second case turns ok into int32: ok(i) with
//   1 <= p_i <= 32 (op_c3, graph_c11) gives |v| <= 2^31 - 1.
//   Control: without graph_c15 (a node may read itself) a least
//   counterexample exists.
// infer_b2 (partial sums, base case included): s(0) = 0,
//   s(j + 1) = s(j) + t(j) with |t(j)| <= A for 0 <= j < K. Claim: no least
//   0 <= n <= K with |s(n)| > n A; so |s(n)| <= n A <= K A for every n, in
//   whatever order the terms are numbered (the reordering argument).
//   Control: the base s(0) = 1 instead of 0 has a counterexample at n = 0.
#include "lemma.h"

namespace cvm::proofs {
namespace {

// infer_b1, "nodes": `topological` false drops graph_c15 (the control).
void fill_composition(Query& q, bool topological) {
  z3::context& c = q.ctx();
  const z3::sort I = c.int_sort();
  const z3::sort B = c.bool_sort();
  const z3::func_decl ok = c.function("ok", I, B);
  const z3::func_decl is_var = c.function("is_variable", I, B);
  const z3::func_decl arity = c.function("num_inputs", I, I);
  const z3::func_decl input = c.function("input", I, I, I);
  const z3::expr i = c.int_const("i");
  const z3::expr j = c.int_const("j");
  const z3::expr n = q.var("least_bad_entry");
  const z3::expr in_ij = input(i, j);
  if (topological)  // graph_c15: every input of entry i is an earlier entry
    q.assume(z3::forall(i, j, z3::implies(0 <= i && 0 <= j && j < arity(i),
                                          0 <= in_ij && in_ij < i)));
  else  // inputs are entries, but possibly not earlier ones
    q.assume(z3::forall(i, j, z3::implies(0 <= i && 0 <= j && j < arity(i),
                                          0 <= in_ij && in_ij <= i)));
  // Variables are ok: data saturated to its precision, params checked (model_c5).
  q.assume(z3::forall(i, z3::implies(0 <= i && is_var(i), ok(i))));
  // The node lemmas: inputs ok => outputs ok, for every validated node.
  q.assume(z3::forall(i, z3::implies(0 <= i && !is_var(i) &&
                                         z3::forall(j, z3::implies(0 <= j && j < arity(i),
                                                                   ok(input(i, j)))),
                                     ok(i))));
  // A least entry that is not ok.
  q.assume(0 <= n && !ok(n));
  q.assume(z3::forall(i, z3::implies(0 <= i && i < n, ok(i))));
  q.claim(c.bool_val(false));
}

// infer_b1, "int32": an ok value of a precision in [1, 32] fits int32.
void fill_int32(Query& q) {
  const z3::expr p = q.var("p");
  const z3::expr v = q.var("v");
  q.assume(1 <= p && p <= 32);  // op_c3, graph_c11
  q.assume(within_range(q, v, p));
  q.claim(fits_int32(q, v));
}

// infer_b2: `base` is s(0) (0 for the real sum, 1 for the control).
void fill_partial_sums(Query& q, int base) {
  z3::context& c = q.ctx();
  const z3::sort I = c.int_sort();
  const z3::func_decl s = c.function("s", I, I);  // s(j): the sum of the first j terms
  const z3::func_decl t = c.function("t", I, I);  // t(j): term j, in any order
  const z3::expr j = c.int_const("j");
  const z3::expr k = q.var("K");
  const z3::expr a = q.var("A");
  const z3::expr n = q.var("least_bad_n");
  q.assume(k >= 1 && a >= 0);
  q.assume(s(q.num(0)) == base);
  q.assume(z3::forall(j, z3::implies(0 <= j && j < k, s(j + 1) == s(j) + t(j))));
  q.assume(z3::forall(j, z3::implies(0 <= j && j < k, within(t(j), a))));
  // A least n in [0, K] whose partial sum exceeds n A.
  q.assume(0 <= n && n <= k && !within(s(n), n * a));
  q.assume(z3::forall(j, z3::implies(0 <= j && j < n, within(s(j), j * a))));
  q.claim(c.bool_val(false));
}

const Register registered({
    Goal{.label = "infer_b1",
         .statement = "every entry of a validated model holds values within its precision, hence int32: "
                      "no least entry breaks it, given graph_c15, the variables' checks and the node lemmas",
         .math = R"(\forall i \ge 0:\ \mathit{ok}(i),\ \text{and } \mathit{ok}(v),\ 1 \le p \le 32 \Rightarrow |v| \le 2^{31}-1)",
         .negative_control = false,
         .cases = [](const auto& each) {
           each("nodes", [](Query& q) { fill_composition(q, true); });
           each("int32", fill_int32);
         }},
    Goal{.label = "infer_b1_neg_without_topological_order",
         .statement = "without graph_c15 (a node may read its own output) the induction must fail",
         .math = R"(\mathit{input}(i, j) \le i \;\Rightarrow\; \forall i:\ \mathit{ok}(i) \quad\text{(refuted)})",
         .negative_control = true,
         .cases = single_case("nodes", [](Query& q) { fill_composition(q, false); })},
    Goal{.label = "infer_b2",
         .statement = "partial sums of K terms each bounded by A: s(0) = 0 and the step give "
                      "|s(n)| <= n A <= K A for every n in [0, K] (no least counterexample)",
         .math = R"(s_0 = 0,\ s_{j+1} = s_j + t_j,\ |t_j| \le A \Rightarrow |s_n| \le n A \le K A)",
         .negative_control = false,
         .cases = single_case("all K, A", [](Query& q) { fill_partial_sums(q, 0); })},
    Goal{.label = "infer_b2_neg_base_one",
         .statement = "with the base s(0) = 1 the induction must fail (at n = 0)",
         .math = R"(s_0 = 1 \;\Rightarrow\; |s_n| \le n A \quad\text{(refuted)})",
         .negative_control = true,
         .cases = single_case("all K, A", [](Query& q) { fill_partial_sums(q, 1); })},
});

}  // namespace
}  // namespace cvm::proofs
