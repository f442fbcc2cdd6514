// Per-model value intervals (docs/proofs.rst, "Per-model value intervals"):
// for every entry of a loaded model, a closed integer interval that holds
// every value the entry can take on any valid input, computed from the actual
// parameter values. `cvm prove` reports them with the headroom they leave
// below each entry's inferred precision.
#pragma once

#include <cstdint>
#include <vector>

#include "cvm/model.h"

namespace cvm {

/// A closed integer interval [lo, hi] with lo <= hi.
struct ValueInterval {
  int64_t lo = 0;  ///< The least value the entry can take (inclusive).
  int64_t hi = 0;  ///< The greatest value the entry can take (inclusive).
  /// Equal when both ends are.
  friend bool operator==(const ValueInterval&, const ValueInterval&) = default;
  /// True when lo <= v <= hi.
  bool contains(int64_t v) const { return v >= lo && v <= hi; }
};

/// The analysis result for one entry.
struct EntryInterval {
  /// Holds every value of the entry on every input whose values lie in the
  /// input precision, always within [-R(p), R(p)] of the entry's precision p.
  ValueInterval range;
  /// True when no operator rule applied (or its arithmetic left int64) and
  /// the range is the precision range [-R(p), R(p)] of the entry's type.
  bool fallback = false;
};

/// The value interval of every entry of `model`, indexed by flat entry id
/// (the input, the params and every operator output). Sound: every value an
/// inference can produce on an input within the input precision lies in its
/// entry's interval. Integer arithmetic only; linear in the number of nodes
/// plus the number of parameter values.
std::vector<EntryInterval> value_intervals(const Model& model);

/// p minus the least precision q with max(|lo|, |hi|) <= R(q): how many of the
/// p bits the entry's values never need. 0 when the interval reaches R(p) or
/// R(p-1) + 1.
int headroom_bits(const ValueInterval& range, int precision);

}  // namespace cvm
