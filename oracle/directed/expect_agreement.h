// The check both directed tests run: every directed case of an op on a list
// of runs (oracle/gen/agreement.h), as GoogleTest expectations.
#pragma once

#include <string>
#include <vector>

#include "directed/directed_cases.h"
#include "gen/agreement.h"

namespace cvm::oracle {

/// For each directed case of `op`: EXPECT that every run of `runs` (the
/// reference first) gives the same outcome, and that the reference accepts
/// or rejects the case as the list says; at least half of the op's cases
/// must be accepted, so that the test never passes on rejections alone.
/// Each failure names the case.
void expect_directed_cases_agree(const std::string& op, Backends backends, const std::vector<gen::NamedRun>& runs);

}  // namespace cvm::oracle
