// Target npy: the .npy reader.
// Properties: rejects only with a constraint (guard.h) (npy_cN); an accepted file
// serialises and parses back to the same array.
#include "cvm/npy.h"
#include "fuzz/guard.h"
#include "fuzz/target.h"

namespace cvm::fuzz {

std::string fuzz_npy(Bytes input) {
  return guarded("npy", [&]() -> std::string {
    const NpyArray a = parse_npy(as_text(input), "fuzz input");
    const NpyArray b = parse_npy(serialize_npy(a), "round trip");
    if (a.shape != b.shape || a.dtype != b.dtype || a.data != b.data)
      return "npy: parse(serialize(a)) != a";
    return "";
  });
}

}  // namespace cvm::fuzz
