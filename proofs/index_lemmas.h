// Shared pieces of the index-safety lemmas (the "<op>_bN" labels stating
// that every index an op's kernel computes lies in its buffer): symbolic
// shapes and coordinates within the tensor constraints, the per-axis claim,
// and the row-major offset cases (proofs/ravel.cc) that turn "inside every
// axis" into "inside the buffer".
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "lemma.h"

namespace cvm::proofs {

/// n dims "<name>_0" .. "<name>_{n-1}", each in [1, 2^24] (tensor_c2).
std::vector<z3::expr> declare_dims(Query& q, const std::string& name, size_t n);

/// Output coordinates "<name>_k" with 0 <= j_k < dy_k (an output index in
/// row-major order: unravel of a flat position in [0, |y|)); assumes
/// dy_k <= 2^24 (op_c2).
std::vector<z3::expr> declare_coords(Query& q, const std::string& name, const std::vector<z3::expr>& dy);

/// Claims 0 <= e_k < d_k for every k (and that e and d have the same rank).
void claim_inside(Query& q, const std::vector<z3::expr>& e, const std::vector<z3::expr>& d);

/// The row-major offset cases: "ravel step" (0 <= offset < P, 0 <= e < d
/// give 0 <= rules::ravel_step(offset, d, e) < P d) and "ravel rank 1" (the
/// fold's start, rules::ravel((e_0), (d_0)) = e_0 in [0, d_0)); by induction
/// over the rank, 0 <= e_k < d_k give 0 <= rules::ravel(e, d) < |d|; and
/// "unravel step" (0 <= flat < P d gives 0 <= flat mod d < d and
/// 0 <= flat div d < P), which justifies the output coordinates'
/// 0 <= j_k < dy_k (declare_coords).
/// Every index goal includes them: its per-axis claim then bounds the flat
/// offset the kernel reads (Tensor::at, cvm::ravel).
void ravel_cases(const EachCase& each);

/// The cases of an index goal whose per-axis claims `axis_cases` states:
/// those, then ravel_cases, which carry them to the flat offset.
inline auto with_ravel_cases(const std::function<void(const EachCase&)>& axis_cases) {
  return [axis_cases](const auto& each) {
    axis_cases(each);
    ravel_cases(each);
  };
}

/// One case per rank n in [1, 6] (tensor_c1) and axis a in [0, n), named
/// "<prefix>N = <n>, axis <a>" and filled by fill(q, n, a).
inline void each_rank_and_axis(const EachCase& each, const std::string& prefix,
                               const std::function<void(Query&, size_t n, size_t a)>& fill) {
  for (size_t n = 1; n <= 6; ++n)
    for (size_t a = 0; a < n; ++a)
      each(prefix + "N = " + std::to_string(n) + ", axis " + std::to_string(a),
           [&fill, n, a](Query& q) { fill(q, n, a); });
}

/// One case per pair of ranks n, m in [1, 6] (tensor_c1), named
/// "<n_name> = <n>, <m_name> = <m>" and filled by fill(q, n, m).
inline void each_rank_pair(const EachCase& each, const std::string& n_name, const std::string& m_name,
                           const std::function<void(Query&, size_t n, size_t m)>& fill) {
  for (size_t n = 1; n <= 6; ++n)
    for (size_t m = 1; m <= 6; ++m)
      each(n_name + " = " + std::to_string(n) + ", " + m_name + " = " + std::to_string(m),
           [&fill, n, m](Query& q) { fill(q, n, m); });
}

/// The controls of those cases (each must be refuted): "ravel step, e <= d"
/// and "unravel step, flat <= P d".
void ravel_control_cases(const EachCase& each);
void unravel_control_cases(const EachCase& each);

}  // namespace cvm::proofs
