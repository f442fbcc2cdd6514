// A Chooser backed by RapidCheck: use inside a property; every choice is a
// RapidCheck draw, so a failing case shrinks toward the smallest choices.
#pragma once

#include <rapidcheck.h>

#include "gen/chooser.h"
#include "gen/random_model.h"

namespace cvm::gen {

class RcChooser final : public Chooser {
 public:
  int64_t range(int64_t lo, int64_t hi) override {
    if (lo == hi) return lo;
    // inRange is half-open; every range the generators ask for is far from
    // INT64_MAX, so hi + 1 cannot overflow.
    return *rc::gen::inRange<int64_t>(lo, hi + 1);
  }
};

/// Inside a property: a random valid model whose structure RapidCheck draws
/// (so a failing model shrinks) and whose values come from a drawn seed; half
/// of the draws put every value at the precision extremes.
inline RandomModel rc_random_model() {
  RcChooser c;
  SeededChooser values(*rc::gen::arbitrary<uint64_t>());
  RandomModelOptions o;
  o.extremes_only = *rc::gen::arbitrary<bool>();
  return random_model(c, o, &values);
}

}  // namespace cvm::gen
