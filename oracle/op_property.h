// The per-operator RapidCheck property shared by the fast and CUDA backends:
// on random valid applications of one operator (oracle/gen), the backend
// equals the reference bit for bit.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <optional>
#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"
#include "gen/op_cases.h"
#include "gen/rc_chooser.h"
#include "gen/values.h"

namespace cvm::oracle {

/// A backend against the reference on one application: "" when they agree
/// (fast_vs_reference, gen::cuda_vs_reference), else a report.
using BackendVsReference = std::string (*)(const std::string& op, const AttrMap& attrs,
                                           const std::vector<Tensor>& inputs);

/// Checks the property `title` + op: `compare` reports nothing on random valid
/// applications of `op`, with values concentrated at the precision extremes
/// when RapidCheck draws so; RapidCheck reports the smallest failing case.
inline void expect_backend_equals_reference_on_random_cases(const std::string& title, const std::string& op,
                                                            BackendVsReference compare) {
  const bool ok = rc::check(title + op, [&] {
    gen::RcChooser c;
    const std::optional<gen::GeneratedCase> g = gen::generate_case(op, c);
    RC_PRE(g.has_value());
    // Values from a seeded stream: drawing each element from RapidCheck
    // would make shrinking crawl; shrinking the structure is what matters.
    gen::SeededChooser values(*rc::gen::arbitrary<uint64_t>());
    const bool extremes = *rc::gen::arbitrary<bool>();
    const std::vector<Tensor> inputs = gen::input_values(values, *g, extremes);
    const std::string report = compare(op, g->attrs, inputs);
    if (!report.empty()) RC_FAIL(report);
  });
  EXPECT_TRUE(ok) << "see the RapidCheck report above for the smallest failing case";
}

}  // namespace cvm::oracle
