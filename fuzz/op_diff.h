// The op_diff decoding, shared by op_diff (fast == reference) and
// cuda_op_diff (cuda == reference): bytes -> one operator application, with
// the reference and validator checks that do not depend on a backend.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"
#include "fuzz/target.h"

namespace cvm::fuzz {

struct DecodedOpCase {
  std::string name;
  AttrMap attrs;
  std::vector<Tensor> inputs;
};

/// The application the bytes encode, or nullopt: when the bytes encode none
/// (report stays empty) or when the reference or the validator already
/// misbehaved on it (report says how).
std::optional<DecodedOpCase> decode_op_case(Bytes input, std::string& report);

}  // namespace cvm::fuzz
