// RapidCheck properties: for every operator, the fast kernels equal the
// reference bit for bit on random valid applications (oracle/gen), with
// values concentrated at the precision extremes, for 1, 2 and 7 threads,
// runtime and packed-constant inputs, AVX2 and portable paths
// (fast_vs_reference). CI fixes the seed and the case count through
// RC_PARAMS (oracle/CMakeLists.txt); a run outside ctest explores new seeds.
#include <gtest/gtest.h>

#include "fast_support.h"
#include "op_property.h"
#include "support.h"

namespace cvm::oracle {
namespace {

class property_ops : public testing::TestWithParam<std::string> {};

TEST_P(property_ops, fast_equals_reference) {
  expect_backend_equals_reference_on_random_cases("fast == reference: ", GetParam(), fast_vs_reference);
}

INSTANTIATE_TEST_SUITE_P(all, property_ops, testing::ValuesIn(registered_op_names()),
                         [](const testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace cvm::oracle
