#include "fast_support.h"

#include <gtest/gtest.h>

#include "gen/agreement.h"
#include "gen/chooser.h"
#include "gen/differential.h"
#include "gen/values.h"

namespace cvm::oracle {

std::string fast_vs_reference(const std::string& op, const AttrMap& attrs,
                              const std::vector<Tensor>& inputs) {
  return gen::fast_vs_reference(op, attrs, inputs, kFastThreadCounts);
}

Tensor seeded_tensor(const Shape& shape, int precision, uint64_t seed) {
  gen::SeededChooser c(seed);
  return gen::random_tensor(c, TensorType{shape, precision});
}

void expect_fast_matches_reference(const std::string& op, const AttrMap& attrs,
                                   const std::vector<Tensor>& inputs) {
  EXPECT_EQ(fast_vs_reference(op, attrs, inputs), "");
}

}  // namespace cvm::oracle
