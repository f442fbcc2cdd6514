// relu: edge cases and the bound label (spec/ops/relu.rst). relu has no
// op-specific constraints.
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(relu, negatives_become_zero) {
  // Distinguishes max(x, 0) from |x| and from max(x, 1): -1 gives 0 (not 1),
  // 0 and positives pass unchanged; shape and precision are kept.
  expect_outputs("relu", {}, {T({2, 3}, 4, {-7, -1, 0, 1, 2, 7})},
                 {T({2, 3}, 4, {0, 0, 0, 1, 2, 7})}, 1);
}

TEST(relu, precision_1_admits_only_zero) {
  expect_outputs("relu", {}, {T({1}, 1, {0})}, {T({1}, 1, {0})});
}

TEST(relu, relu_b1_holds_at_precision_32_extremes) {
  // relu_b1: the largest value of precision 32 passes unchanged; the most
  // negative becomes 0; the output precision stays 32.
  expect_outputs("relu", {}, {T({2}, 32, {-2147483647, 2147483647})},
                 {T({2}, 32, {0, 2147483647})});
}

TEST(relu, any_attribute_is_attr_c0) {
  expect_rejected("attr_c0", "relu", {{"alpha", "0"}}, {T({1}, 8, {0})});
}

}  // namespace
}  // namespace cvm::oracle
