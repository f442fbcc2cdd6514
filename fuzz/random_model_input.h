// Decoding a random valid model from fuzzer bytes (targets model_diff and
// certified): the structure comes from the bytes (gen::random_model over a
// BytesChooser), the tensor values from a splitmix64 stream seeded by the
// first 8 bytes, so that a short input still gets varied values.
#pragma once

#include "fuzz/target.h"
#include "gen/random_model.h"

namespace cvm::fuzz {

gen::RandomModel decode_random_model(Bytes input);

}  // namespace cvm::fuzz
