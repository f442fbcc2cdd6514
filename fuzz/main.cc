// libFuzzer entry point of one target; CVM_FUZZ_TARGET names it
// (fuzz/CMakeLists.txt builds this file once per target). A non-empty
// report is a bug: print it and abort, so libFuzzer saves the input.
#include <cstdio>
#include <cstdlib>

#include "fuzz/target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const cvm::fuzz::Target* const target = cvm::fuzz::find_target(CVM_FUZZ_TARGET);
  if (target == nullptr) {
    std::fprintf(stderr, "cvm fuzz: no target named '%s'\n", CVM_FUZZ_TARGET);
    std::abort();
  }
  const std::string report = target->run({data, size});
  if (!report.empty()) {
    std::fprintf(stderr, "\n== cvm fuzz target %s found a bug:\n%s\n", CVM_FUZZ_TARGET, report.c_str());
    std::abort();
  }
  return 0;
}
