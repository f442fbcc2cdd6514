# Mutation checks: the lemmas prove the runtime's own rules
# (include/cvm/rules/*.h), so a deliberately broken rule must make a proof
# fail. Each mutant is a copy of one rule header with one text replaced,
# written at configure time into the build tree and put in front of the real
# header on the include path of a small prover: the shared driver and goal
# helpers (cvm_prove_main, cvm_prove_helpers) and the proof files that use
# the rule. A mutant whose rule lemma.cc uses (the dot product) lists lemma.cc
# among its files, which then replaces the shared helpers. Its ctest passes only when
# the prover reports the named goal FAILED as refuted (a counterexample), so
# neither a goal that still holds nor a crash passes. Configuring fails when
# the replaced text no longer occurs: a mutant cannot silently go stale.
#
# cvm_rule_mutant(NAME HEADER ORIGINAL MUTANT GOAL PROOF_FILES...)
function(cvm_rule_mutant name header original mutant goal)
  set(source ${PROJECT_SOURCE_DIR}/include/cvm/rules/${header})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
  file(READ ${source} text)
  string(FIND "${text}" "${original}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "mutant ${name}: '${original}' does not occur in ${source}")
  endif()
  string(REPLACE "${original}" "${mutant}" text "${text}")
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/mutants/${name})
  file(CONFIGURE OUTPUT ${dir}/cvm/rules/${header} CONTENT "${text}" @ONLY)
  set(helpers $<TARGET_OBJECTS:cvm_prove_helpers>)
  if("lemma.cc" IN_LIST ARGN)
    set(helpers "")
  endif()
  list(TRANSFORM ARGN PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  add_executable(cvm_prove_mutant_${name} $<TARGET_OBJECTS:cvm_prove_main> ${helpers} ${ARGN})
  target_include_directories(cvm_prove_mutant_${name} BEFORE PRIVATE ${dir})
  target_include_directories(cvm_prove_mutant_${name} PRIVATE ${PROJECT_SOURCE_DIR}/include)
  target_include_directories(cvm_prove_mutant_${name} SYSTEM PRIVATE ${Z3_INCLUDE_DIR})
  target_link_libraries(cvm_prove_mutant_${name} PRIVATE ${Z3_LIBRARY} nlohmann_json::nlohmann_json)
  # The project's warnings, then -Wno-unused-parameter after them (clang
  # honours the last flag): a mutant may stop using a parameter (clip
  # without its upper bound, take without its clip).
  target_compile_options(cvm_prove_mutant_${name} PRIVATE
    $<TARGET_PROPERTY:cvm_warnings,INTERFACE_COMPILE_OPTIONS> -Wno-unused-parameter)
  # and its link options (the sanitizer runtimes of the sanitizer pass).
  target_link_options(cvm_prove_mutant_${name} PRIVATE
    $<TARGET_PROPERTY:cvm_warnings,INTERFACE_LINK_OPTIONS>)
  add_test(NAME proofs_mutant_${name} COMMAND cvm_prove_mutant_${name} --quiet --only ${goal})
  string(REPLACE "." "\\." goal_re "${goal}")
  set_tests_properties(proofs_mutant_${name} PROPERTIES
    PASS_REGULAR_EXPRESSION "FAIL ${goal_re}: refuted" LABELS proofs)
endfunction()

# Precision rules.
cvm_rule_mutant(dot_product_bias_without_plus_one precision.h
  "return Arith<T>::select(use_bias, Arith<T>::max(p, pb) + 1, p);"
  "return Arith<T>::select(use_bias, Arith<T>::max(p, pb), p);"
  conv2d_b1 conv2d.cc lemma.cc)
cvm_rule_mutant(sum_of_two_without_carry precision.h
  "return Arith<T>::max(pa, pb) + 1;"
  "return Arith<T>::max(pa, pb);"
  broadcast_add_b1 broadcast_add.cc)
cvm_rule_mutant(sum_without_bits_k precision.h
  "return px + bits_k;"
  "return px + bits_k - 1;"
  sum_b1 sum.cc)
# Integer formulas.
cvm_rule_mutant(clip_without_upper_bound scalar.h
  "return Arith<T>::select(v < lo, lo, Arith<T>::select(hi < v, hi, v));"
  "return Arith<T>::select(v < lo, lo, v);"
  cvm_clip_b1 cvm_clip.cc)
cvm_rule_mutant(rounding_shift_off_by_one scalar.h
  "return Arith<T>::shr(x, b - 1) + 1;"
  "return Arith<T>::shr(x, b - 1) + 2;"
  cvm_right_shift_b2 cvm_right_shift.cc)
# Index functions.
cvm_rule_mutant(conv2d_channel_by_icg window_index.h
  "return Arith<T>::floor_div(oc, opg) * icg + ic;"
  "return Arith<T>::floor_div(oc, icg) * icg + ic;"
  conv2d_b3 conv2d_index.cc)
cvm_rule_mutant(upsampling_source_shifted upsampling_index.h
  "return Arith<T>::floor_div(j, scale);"
  "return Arith<T>::floor_div(j + 1, scale);"
  upsampling_b2 upsampling_index.cc ravel.cc)
cvm_rule_mutant(tile_without_mod tile_index.h
  "e.push_back(Arith<T>::floor_mod(j[K - N + t], d[t]));"
  "e.push_back(j[K - N + t]);"
  tile_b2 tile_index.cc ravel.cc)
cvm_rule_mutant(broadcast_without_size_one_rule broadcast_index.h
  "Arith<T>::select(e[k] == Arith<T>::lit(e[k], 1), Arith<T>::lit(e[k], 0), j[off + k])"
  "j[off + k]"
  broadcast_add_b2 broadcast_index.cc ravel.cc)
cvm_rule_mutant(take_without_clip take_index.h
  "return clip(i, Arith<T>::lit(i, 0), n - 1);"
  "return i;"
  take_b3 take_index.cc)
