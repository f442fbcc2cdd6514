// The row-major offset (include/cvm/rules/ravel.h), shared by the index
// lemmas of every op (proofs/index_lemmas.h).
//
// cvm::ravel and Tensor::at read flat offset ravel(e, d) of a multi-index e;
// an index lemma proves 0 <= e_k < d_k on every axis, and these cases carry
// that to the buffer, 0 <= ravel(e, d) < |d| = d_0 ... d_{n-1}:
//
//   [ravel step]   0 <= offset < P, 1 <= d, 0 <= e < d  =>
//                  0 <= ravel_step(offset, d, e) = offset d + e <= (P - 1) d + d - 1 < P d,
//                  for all symbolic P, offset, d, e (no size limit needed).
//                  ravel folds this step from offset_0 = e_0 < d_0 = P_0, so by
//                  induction over the rank, 0 <= ravel < P_{n-1} = |d|.
//   [ravel rank 1] the fold's start: ravel((e_0), (d_0)) = e_0, in [0, d_0).
//   [unravel step] the inverse (cvm::unravel, how every kernel walks its
//                  output): 0 <= flat < P d, 1 <= d, 1 <= P  =>
//                  0 <= flat mod d < d and 0 <= flat div d < P. From
//                  flat in [0, |d|) = [0, d_0 ... d_{n-1}), peeling d_{n-1},
//                  ..., d_0 in turn (the last with P = 1) gives
//                  0 <= j_k < d_k: the hypothesis 0 <= j_k < shape(y)_k of
//                  every index goal.
//
// The step's product of two symbolic values is non-linear; Z3 decides the
// step in milliseconds. The whole fold at a fixed rank >= 2 (a product of
// several symbolic dims) is not checked directly: Z3's non-linear solver does
// not finish it (nor honour the timeout), and the induction needs only the
// step and the start.
//
// Controls (registered with transpose_b2, proofs/transpose_index.cc): the
// step with a coordinate allowed to equal its dim (e <= d), and the unravel
// step with a flat position allowed to equal the size (flat <= P d), must be
// refuted: each reaches one past its bound.
#include <string>

#include "cvm/rules/ravel.h"
#include "index_lemmas.h"
#include "z3_arith.h"

namespace cvm::proofs {

std::vector<z3::expr> declare_dims(Query& q, const std::string& name, size_t n) {
  std::vector<z3::expr> d;
  for (size_t k = 0; k < n; ++k) {
    d.push_back(q.var(name + "_" + std::to_string(k)));
    q.assume(1 <= d.back() && d.back() <= q.num(int64_t{1} << 24));  // tensor_c2
  }
  return d;
}

std::vector<z3::expr> declare_coords(Query& q, const std::string& name, const std::vector<z3::expr>& dy) {
  std::vector<z3::expr> j;
  for (size_t k = 0; k < dy.size(); ++k) {
    q.assume(dy[k] <= q.num(int64_t{1} << 24));  // op_c2: the output dims obey tensor_c2
    j.push_back(q.var(name + "_" + std::to_string(k)));
    q.assume(0 <= j.back() && j.back() < dy[k]);
  }
  return j;
}

void claim_inside(Query& q, const std::vector<z3::expr>& e, const std::vector<z3::expr>& d) {
  q.claim(q.ctx().bool_val(e.size() == d.size()));
  for (size_t k = 0; k < e.size() && k < d.size(); ++k) q.claim(0 <= e[k] && e[k] < d[k]);
}

namespace {

// weakened: the controls' e <= d instead of e < d.
void fill_ravel_step(Query& q, bool weakened) {
  const z3::expr offset = q.var("offset");
  const z3::expr p = q.var("P");
  const z3::expr d = q.var("d");
  const z3::expr e = q.var("e");
  q.assume(0 <= offset && offset < p && 1 <= d && 0 <= e && (weakened ? e <= d : e < d));
  const z3::expr next = rules::ravel_step(offset, d, e);
  q.claim(0 <= next && next < p * d);
}

// weakened: the controls' flat <= P d instead of flat < P d.
void fill_unravel_step(Query& q, bool weakened) {
  const z3::expr flat = q.var("flat");
  const z3::expr p = q.var("P");
  const z3::expr d = q.var("d");
  q.assume(1 <= p && 1 <= d && 0 <= flat && (weakened ? flat <= p * d : flat < p * d));
  const rules::UnravelStep<z3::expr> s = rules::unravel_step(flat, d);
  q.claim(0 <= s.coordinate && s.coordinate < d && 0 <= s.rest && s.rest < p);
}

}  // namespace

void ravel_cases(const EachCase& each) {
  each("ravel step", [](Query& q) { fill_ravel_step(q, false); });
  each("ravel rank 1", [](Query& q) {
    const std::vector<z3::expr> d = declare_dims(q, "d", 1);
    const z3::expr e = q.var("e_0");
    q.assume(0 <= e && e < d[0]);
    const z3::expr offset = rules::ravel(std::vector<z3::expr>{e}, d);
    q.claim(0 <= offset && offset < d[0]);
  });
  each("unravel step", [](Query& q) { fill_unravel_step(q, false); });
}

void ravel_control_cases(const EachCase& each) {
  each("ravel step, e <= d", [](Query& q) { fill_ravel_step(q, true); });
}

void unravel_control_cases(const EachCase& each) {
  each("unravel step, flat <= P d", [](Query& q) { fill_unravel_step(q, true); });
}

}  // namespace cvm::proofs
