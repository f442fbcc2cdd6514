// Build provenance (include/cvm/version.h). CVM_VERSION, CVM_COMPILER and
// CVM_BUILD_TYPE come from cmake/version.cmake; CVM_GIT_COMMIT from the
// header cmake/git_commit.cmake writes at every build.
#include "cvm/version.h"

#include "cvm/backend.h"
#include "cvm_git_commit.h"
#include "fast/kernel.h"

#ifndef CVM_VERSION
#define CVM_VERSION "unknown"
#endif
#ifndef CVM_COMPILER
#define CVM_COMPILER "unknown"
#endif
#ifndef CVM_BUILD_TYPE
#define CVM_BUILD_TYPE ""
#endif

namespace cvm {

const BuildInfo& build_info() {
  static const BuildInfo info = [] {
    BuildInfo b;
    b.version = CVM_VERSION;
    b.commit = CVM_GIT_COMMIT;
    b.compiler = CVM_COMPILER;
    b.build_type = CVM_BUILD_TYPE;
    if (b.build_type.empty()) b.build_type = "unknown";
    b.backends = {"reference", "fast"};
#ifdef CVM_HAVE_CUDA
    b.backends.push_back("cuda");
#endif
    return b;
  }();
  return info;
}

std::string isa_level() { return fast::isa_name(fast::cpu_isa()); }

// Backend's default (cvm/backend.h), next to the CPU's level it reports.
std::string Backend::isa_level() const { return cvm::isa_level(); }

std::string version_line() {
  const BuildInfo& b = build_info();
  return "cvm " + b.version + " (commit " + b.commit + ", " + b.compiler + ", " + b.build_type + ")";
}

}  // namespace cvm
