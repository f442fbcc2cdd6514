// Target params: the params file parser.
// Properties: rejects only with a constraint (guard.h), never allocates more than the
// file holds (ASan/libFuzzer's malloc limit catch that), and a parsed file
// writes back to bytes that parse to the same arrays.
#include "cvm/params.h"
#include "fuzz/guard.h"
#include "fuzz/target.h"

namespace cvm::fuzz {

std::string fuzz_params(Bytes input) {
  return guarded("params", [&]() -> std::string {
    const std::vector<ParamArray> arrays = parse_params(as_text(input));
    if (parse_params(write_params(arrays)) != arrays)
      return "params: parse(write(arrays)) != arrays";
    return "";
  });
}

}  // namespace cvm::fuzz
