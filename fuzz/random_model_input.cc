#include "fuzz/random_model_input.h"

#include "gen/chooser.h"

namespace cvm::fuzz {

gen::RandomModel decode_random_model(Bytes input) {
  uint64_t seed = 0;
  for (size_t i = 0; i < 8 && i < input.size(); ++i) seed = (seed << 8) | input[i];
  gen::SeededChooser values(seed);
  gen::BytesChooser c(input.size() > 8 ? input.subspan(8) : Bytes{});
  gen::RandomModelOptions options;
  options.max_ops = 8;
  options.max_elements = 1024;
  options.max_work = 1 << 14;
  options.extremes_only = c.coin();
  return gen::random_model(c, options, &values);
}

}  // namespace cvm::fuzz
