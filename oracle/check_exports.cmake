# Checks that libcvm.so exports exactly the C API (include/cvm/c_api.h).
#
#   cmake -DLIB=<path to libcvm.so> [-DNM=<nm>] -P check_exports.cmake
#
# Lists the defined dynamic symbols (nm -D --defined-only) and fails if
#  * one of the C API functions (upstream's 12 CVMAPI* functions and cvm's
#    extension CVMAPIGetLastError) is missing or is not a text symbol,
#  * any other symbol not starting with an underscore is exported, or
#  * any C++ symbol (mangled, _Z...) is exported.
# Other underscore names are the toolchain's (_init, _fini, __bss_start,
# _edata, _end, sanitizer hooks) and are allowed.
cmake_minimum_required(VERSION 3.25)

if(NOT LIB)
  message(FATAL_ERROR "check_exports: pass -DLIB=<path to libcvm.so>")
endif()
if(NOT EXISTS "${LIB}")
  message(FATAL_ERROR "check_exports: ${LIB} does not exist")
endif()
if(NOT NM)
  find_program(NM nm REQUIRED)
endif()

set(expected
  CVMAPILoadModel CVMAPIFreeModel CVMAPIInference CVMAPIGetVersion CVMAPIGetPreprocessMethod
  CVMAPIGetInputLength CVMAPIGetOutputLength CVMAPIGetInputTypeSize CVMAPIGetOutputTypeSize
  CVMAPIGetStorageSize CVMAPIGetGasFromModel CVMAPIGetGasFromGraphFile
  # cvm's own extension (spec/model/c_api.rst, "Error messages").
  CVMAPIGetLastError)

execute_process(COMMAND "${NM}" -D --defined-only "${LIB}"
  OUTPUT_VARIABLE listing ERROR_VARIABLE nm_errors RESULT_VARIABLE nm_rc)
if(NOT nm_rc EQUAL 0)
  message(FATAL_ERROR
    "check_exports: ${NM} -D --defined-only ${LIB} failed (${nm_rc}): ${nm_errors}")
endif()

string(REPLACE "\n" ";" lines "${listing}")
set(found "")
set(unexpected "")
foreach(line IN LISTS lines)
  # "<value> <type> <name>[@version]"; absolute symbols may lack the value.
  if(NOT line MATCHES "^([0-9a-fA-F]+ +)?([A-Za-z]) +([^ @]+)")
    continue()
  endif()
  set(type "${CMAKE_MATCH_2}")
  set(name "${CMAKE_MATCH_3}")
  list(FIND expected "${name}" idx)
  if(idx GREATER_EQUAL 0)
    if(NOT type STREQUAL "T")
      list(APPEND unexpected "${name} (type ${type}, expected T)")
    endif()
    list(APPEND found "${name}")
  elseif(name MATCHES "^_Z" OR NOT name MATCHES "^_")
    list(APPEND unexpected "${name} (${type})")
  endif()
endforeach()

set(missing "")
foreach(name IN LISTS expected)
  list(FIND found "${name}" idx)
  if(idx LESS 0)
    list(APPEND missing "${name}")
  endif()
endforeach()

list(LENGTH unexpected n_unexpected)
if(missing OR unexpected)
  list(JOIN missing "\n  " missing_text)
  if(n_unexpected GREATER 40)
    list(SUBLIST unexpected 0 40 unexpected)
    list(APPEND unexpected "...")
  endif()
  list(JOIN unexpected "\n  " unexpected_text)
  message(FATAL_ERROR "check_exports: ${LIB}\n"
    "missing C API functions:\n  ${missing_text}\n"
    "unexpected exports (${n_unexpected}):\n  ${unexpected_text}")
endif()
list(LENGTH expected n_expected)
message(STATUS "check_exports: ${LIB} exports exactly the ${n_expected} CVMAPI functions")
