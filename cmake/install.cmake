# Install rules, the exported CMake package and the pkg-config file.
#
#   cmake --install build --prefix /opt/cvm
#
# installs libcvm.so (the C API, versioned soname), the static C++ libraries,
# the headers of include/cvm, the `cvm` tool and, when built, the docs site.
# Consumers then use either
#   find_package(cvm CONFIG)  ->  cvm::cvm (C++ API, static) and
#                                 cvm::cvm_shared (C API, libcvm.so)
#   pkg-config cvm            ->  the C API (libcvm.so)
# oracle/install/ tests both against a temporary prefix (ctest install_consumer).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# cvm::cvm: the C++ API of include/cvm (model, runtime, backends, certify, .npy files).
add_library(cvm_cpp INTERFACE)
target_link_libraries(cvm_cpp INTERFACE cvm_certify cvm_runtime cvm_npy cvm_core)
# The same names for a parent project that adds cvm with add_subdirectory.
add_library(cvm::cvm ALIAS cvm_cpp)
add_library(cvm::cvm_shared ALIAS cvm_shared)

set(_cvm_export_targets cvm_cpp cvm_shared cvm_certify cvm_runtime cvm_npy cvm_fast cvm_core cvm_warnings)
if(TARGET cvm_cuda)
  list(APPEND _cvm_export_targets cvm_cuda)
endif()
# Exported names: cvm::cvm, cvm::cvm_shared, cvm::core, cvm::runtime, ...
set_target_properties(cvm_cpp PROPERTIES EXPORT_NAME cvm)
foreach(t cvm_certify cvm_runtime cvm_npy cvm_fast cvm_core cvm_warnings cvm_cuda)
  if(TARGET ${t})
    string(REPLACE "cvm_" "" _name ${t})
    set_target_properties(${t} PROPERTIES EXPORT_NAME ${_name})
  endif()
endforeach()

install(TARGETS ${_cvm_export_targets} EXPORT cvmTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/cvm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
if(TARGET cvm)
  install(TARGETS cvm RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(CVM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/cvm CACHE STRING
  "Where cvmConfig.cmake is installed, relative to the prefix")
install(EXPORT cvmTargets NAMESPACE cvm:: DESTINATION ${CVM_INSTALL_CMAKEDIR})
# The package's dependencies: what the exported static libraries link.
set(CVM_PACKAGE_NEEDS_CUDA ${CVM_ENABLE_CUDA})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cvmConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cvmConfig.cmake INSTALL_DESTINATION ${CVM_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cvmConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cvmConfig.cmake ${PROJECT_BINARY_DIR}/cvmConfigVersion.cmake
  DESTINATION ${CVM_INSTALL_CMAKEDIR})

# pkg-config: the C API.
file(RELATIVE_PATH CVM_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/cvm.pc.in ${PROJECT_BINARY_DIR}/cvm.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cvm.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The documentation site, when it was built (CVM_BUILD_DOCS, target docs).
if(CVM_BUILD_DOCS)
  install(DIRECTORY ${PROJECT_BINARY_DIR}/docs/html/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/html OPTIONAL)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
