// Target npy: the .npy readers.
// Properties: both readers (integers for the inference path, floats for the
// quantizer) reject only with a constraint (guard.h) (npy_cN); an accepted
// integer file serialises and parses back to the same array; an accepted
// float file holds only finite values, one per element.
#include <cmath>

#include "cvm/npy.h"
#include "fuzz/guard.h"
#include "fuzz/target.h"

namespace cvm::fuzz {

std::string fuzz_npy(Bytes input) {
  const std::string floats = guarded("npy floats", [&]() -> std::string {
    const NpyFloatArray f = parse_npy_floats(as_text(input), "fuzz input");
    int64_t n = 1;
    for (int64_t d : f.shape) n *= d;
    if (static_cast<int64_t>(f.data.size()) != n) return "npy: float data size != |shape|";
    for (float x : f.data)
      if (!std::isfinite(x)) return "npy: a non-finite float was accepted";
    return "";
  });
  if (!floats.empty()) return floats;
  return guarded("npy", [&]() -> std::string {
    const NpyArray a = parse_npy(as_text(input), "fuzz input");
    const NpyArray b = parse_npy(serialize_npy(a), "round trip");
    if (a.shape != b.shape || a.dtype != b.dtype || a.data != b.data)
      return "npy: parse(serialize(a)) != a";
    return "";
  });
}

}  // namespace cvm::fuzz
