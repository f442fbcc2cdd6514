#include "directed/expect_agreement.h"

#include <gtest/gtest.h>

#include <cstddef>

namespace cvm::oracle {

void expect_directed_cases_agree(const std::string& op, Backends backends, const std::vector<gen::NamedRun>& runs) {
  const std::vector<DirectedCase> cases = directed_cases(op, backends);
  ASSERT_FALSE(cases.empty()) << op << " has no directed cases";
  size_t accepted = 0;
  for (const DirectedCase& c : cases) {
    const gen::Agreement a = gen::run_on_all(c.op, c.attrs, c.inputs, runs);
    EXPECT_EQ(a.report, "") << op << ", case " << c.name;
    const bool accepts = a.first.error.empty();
    accepted += accepts;
    if (c.reference == Expect::accepted) {
      EXPECT_TRUE(accepts) << op << ", case " << c.name << " is meant to be valid; the reference gave "
                           << a.first.error << "; " << gen::describe_case(c.op, c.attrs, c.inputs);
    } else if (c.reference == Expect::rejected) {
      EXPECT_TRUE(gen::is_rejection(a.first))
          << op << ", case " << c.name << " is meant to be rejected by a constraint; the reference gave "
          << (accepts ? "outputs" : a.first.error) << "; " << gen::describe_case(c.op, c.attrs, c.inputs);
    }
  }
  EXPECT_GE(2 * accepted, cases.size()) << op << ": the reference accepted only " << accepted << " of "
                                        << cases.size() << " directed cases";
}

}  // namespace cvm::oracle
