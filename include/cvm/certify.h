// Per-model certification (docs/proofs.rst): a validated model cannot
// overflow int32 on any input when every operator node's lemmas (the Bounds
// labels of spec/ops, proved by cvm_prove_lemmas) are proved; it is certified
// when, besides, its inferences do not all fail (infer_c2). No SMT solving
// happens here: the verdicts come from the lemma record proofs/lemmas.json,
// compiled into this library. `cvm prove` prints the result; the benchmark
// bench/prove_bench.cc times it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cvm/intervals.h"
#include "cvm/model.h"

namespace cvm {

/// The compiled-in lemma record (proofs/lemmas.json) as JSON text.
std::string_view lemma_record();

/// Operator name -> its recorded bound goals (no negative controls), each with
/// whether it is proved. Parsed from lemma_record() once.
const std::map<std::string, std::vector<std::pair<std::string, bool>>>& lemmas_by_op();

/// One operator node of a certified model.
struct NodeCertificate {
  size_t node = 0;                  ///< node index in the symbol
  std::string name;                 ///< the node's name in the symbol
  std::string op;                   ///< the operator's name (aliases resolved)
  /// The precision of each input entry, declared or inferred, in input order:
  /// the hypotheses under which the lemmas are applied.
  std::vector<int> input_precisions;
  /// The precision the validator inferred for each output: what the node's
  /// _b1 lemma guarantees every output value fits.
  std::vector<int> output_precisions;
  std::vector<std::string> lemmas;  ///< the op's Bounds labels from the record
  /// Per output: an interval holding every value it takes on any valid input
  /// (value_intervals, include/cvm/intervals.h).
  std::vector<ValueInterval> intervals;
  /// Per output: the bits of its precision the interval leaves unused
  /// (headroom_bits).
  std::vector<int> headroom_bits;
  /// Per output: whether its interval is the precision-range fallback.
  std::vector<bool> interval_fallback;
  bool proved = false;              ///< every lemma of the op is proved
};

/// The result of certify(): the per-node lemma coverage of a model and the
/// verdict `cvm prove` prints.
struct Certificate {
  std::vector<NodeCertificate> nodes;  ///< operator nodes in symbol order
  bool nodes_proved = false;           ///< every node proved: no value can overflow
  /// Empty, or why every inference of the model fails although it loads:
  /// "label: message" of the logic error (infer_c2, decided by the head
  /// shapes alone).
  std::string never_runs;
  bool certified = false;              ///< nodes_proved and never_runs empty
};

/// Certifies a loaded (hence validated) model: linear in the number of nodes
/// and parameter values (the value intervals read every weight once).
Certificate certify(const Model& model);

/// For a symbol that a precision rule rejects with op_c3: a concrete input at
/// the precision extremes of the rejected node and the value it produces,
/// e.g. "inputs at +-R(p): x = 127 everywhere, w = 127 everywhere (K = ...
/// terms) gives |acc| = ... > 2^31-1". `overflows` is false when that value
/// still fits int32 (the precision rule is conservative there: no concrete
/// overflow, yet the node is rejected). `text` is empty when the symbol is not
/// rejected with op_c3 or the operator has no witness here (dense, conv2d,
/// elemwise/broadcast add and sub, broadcast_mul have one).
struct OverflowWitness {
  /// The witness described in words, or empty when there is none.
  std::string text;
  /// Whether the witness's value exceeds int32 (true) or fits it although the
  /// precision rule rejects the node (false).
  bool overflows = false;
};
/// The witness for a symbol that op_c3 rejects (see OverflowWitness); an
/// empty text when there is none. Reads the symbol alone: no params needed.
OverflowWitness overflow_witness(std::string_view symbol_json);

}  // namespace cvm
