// The precision rules of the operator pages (spec/ops/<op>.rst, "Precision"),
// written once over the rules' arithmetic (cvm/rules/arith.h): shape
// inference (reference/<op>.cc, `infer`) calls them with int64_t and the
// lemmas (proofs/<op>.cc) with Z3 expressions, so a change to a rule here is
// a change to what the proofs prove. bits(K) is not linear, so a rule takes
// it as an argument: the runtime computes it with cvm::bits and the prover
// constrains a symbolic b by 2^(b-1) <= K < 2^b.
//
// Copy ops (transpose, reshape, max_pool2d, ...) keep the input precision,
// p_y = p_x; they have no rule function.
#pragma once

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// elemwise_add, elemwise_sub, broadcast_add, broadcast_sub:
/// p_y = max(p_a, p_b) + 1 (one bit for the carry of a sum of two values).
template <class T>
T sum_of_two_precision(const T& pa, const T& pb) {
  return Arith<T>::max(pa, pb) + 1;
}

/// broadcast_mul: p_y = p_a + p_b (R(p_a) R(p_b) <= R(p_a + p_b)).
template <class T>
T product_precision(const T& pa, const T& pb) {
  return pa + pb;
}

/// broadcast_max and concatenate (folded over the inputs): the larger
/// precision, as every output value is a value of one of the inputs.
template <class T>
T larger_precision(const T& pa, const T& pb) {
  return Arith<T>::max(pa, pb);
}

/// broadcast_greater, get_valid_counts (its data output) and
/// non_max_suppression: max(p, 2), room for the values 0/1 or -1 that the op
/// writes besides copies of its input.
template <class T>
T at_least_two_precision(const T& p) {
  return Arith<T>::max(p, Arith<T>::lit(p, 2));
}

/// sum over K terms: p_y = p_x + bits(K) (K R(p_x) <= R(p_x + bits(K))).
template <class T>
T sum_precision(const T& px, const T& bits_k) {
  return px + bits_k;
}

/// dense and conv2d: p = p_x + p_w + bits(K), the precision of the K-term
/// dot product (K R(p_x) R(p_w) <= 2^(p-2) - 1).
template <class T>
T dot_product_sum_precision(const T& px, const T& pw, const T& bits_k) {
  return px + pw + bits_k;
}

/// dense and conv2d: p_y = p without a bias, max(p, p_b) + 1 with one (p_b
/// is ignored without one).
template <class T>
T dot_product_precision(const T& px, const T& pw, const T& bits_k,
                        const typename Arith<T>::Bool& use_bias, const T& pb) {
  const T p = dot_product_sum_precision(px, pw, bits_k);
  return Arith<T>::select(use_bias, Arith<T>::max(p, pb) + 1, p);
}

/// Upstream's GetNumberPrecision(n) = bits(n + 1) + 1 (clip's rule with
/// n = max(|a_min|, |a_max|), get_valid_counts' count output with n = N K),
/// given bits(n + 1).
template <class T>
T number_precision_from_bits(const T& bits_n_plus_1) {
  return bits_n_plus_1 + 1;
}

}  // namespace cvm::rules
