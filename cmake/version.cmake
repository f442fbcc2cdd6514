# Build provenance (include/cvm/version.h, runtime/version.cc): the version,
# compiler and build type are fixed at configure time; the git commit is
# looked up at every build by cmake/git_commit.cmake, which rewrites
# generated/cvm_git_commit.h only when the commit (or its -dirty mark) changed.
set(_cvm_commit_header ${PROJECT_BINARY_DIR}/generated/cvm_git_commit.h)
add_custom_target(cvm_git_commit
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUTPUT=${_cvm_commit_header}
          -P ${PROJECT_SOURCE_DIR}/cmake/git_commit.cmake
  BYPRODUCTS ${_cvm_commit_header}
  COMMENT "Checking the git commit for cvm_git_commit.h"
  VERBATIM)
add_dependencies(cvm_runtime cvm_git_commit)
set_source_files_properties(${PROJECT_SOURCE_DIR}/runtime/version.cc PROPERTIES
  INCLUDE_DIRECTORIES ${PROJECT_BINARY_DIR}/generated
  OBJECT_DEPENDS ${_cvm_commit_header}
  COMPILE_DEFINITIONS "CVM_VERSION=\"${PROJECT_VERSION}\";CVM_COMPILER=\"${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}\";CVM_BUILD_TYPE=\"$<CONFIG>\"")
