/// @file
/// Build provenance: which cvm this is (version, git commit, compiler, build
/// type, backends) and the instruction-set level its fast backend uses on this
/// CPU. `cvm --version`, `cvm trace` and `cvm bench` report these, so that
/// two results can be traced back to the builds and machines that made them.
#pragma once

#include <string>
#include <vector>

namespace cvm {

/// What was built: fixed when the library was compiled.
struct BuildInfo {
  /// The project version, e.g. "0.1.0".
  std::string version;
  /// The short git commit of the source tree at build time, with "-dirty"
  /// when tracked files had uncommitted changes; "unknown" when the sources
  /// were not a git checkout.
  std::string commit;
  /// The C++ compiler, as CMake names it, and its version, e.g. "GNU 12.2.0".
  std::string compiler;
  /// The CMake build type, e.g. "RelWithDebInfo" ("unknown" when none was set).
  std::string build_type;
  /// The backends compiled into the library: "reference", "fast", and "cuda"
  /// when built with CUDA (whether a device is present is a run-time matter:
  /// see backend_names()).
  std::vector<std::string> backends;
};

/// This library's build information (computed once; never throws after the
/// first call).
const BuildInfo& build_info();

/// The highest instruction-set level this CPU gives the fast kernels:
/// "portable", "avx2" or "avx512_vnni" (the default fast backend's level; a
/// backend made at a lower one reports its own, Backend::isa_level()). Every
/// level computes the same bits; the level only explains a difference in speed.
std::string isa_level();

/// One line for humans: "cvm VERSION (commit COMMIT, COMPILER, BUILD_TYPE)".
std::string version_line();

}  // namespace cvm
