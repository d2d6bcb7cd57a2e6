# Helpers shared by every folder's CMakeLists.txt.

set(WST_WARNINGS -Wall -Wextra -Werror -Wno-unused-parameter)

# wst_add_layer(NAME folder-relative sources...): one static, PIC library per layer. Its
# public include directory is <folder>/include only, so other layers see it only when they
# link it (always PRIVATE).
function(wst_add_layer name)
  add_library(${name} STATIC ${ARGN})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                     PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${WST_WARNINGS})
  target_compile_definitions(${name} PRIVATE WST_BUILDING=1)
  set_property(GLOBAL APPEND PROPERTY WST_LAYERS ${name})
endfunction()

# wst_add_test(NAME SOURCES a.cpp... LIBS x y... [LABELS l...] [ARGS ...])
# A Boost.Test executable (shared-library variant) registered with CTest.
function(wst_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS;ARGS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} wst_test_main)
  target_compile_options(${name} PRIVATE ${WST_WARNINGS})
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "WST_VECTORS=${WST_VECTORS_DIR};WST_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data")
  # Every test carries its folder under tests/ as a label (tests/transports/tls -> transports),
  # so a flavour can run a part of the suite: ctest -L 'actors|transports'.
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/tests ${CMAKE_CURRENT_SOURCE_DIR})
  string(REGEX REPLACE "/.*" "" area "${rel}")
  set_property(TEST ${name} APPEND PROPERTY LABELS ${area} ${T_LABELS})
  # Under ThreadSanitizer every test gets the suppressions for hand-offs through Debian's
  # uninstrumented libcaf_core (tests/actors/tsan.supp); tests that do not use CAF are unaffected.
  if(WST_TSAN)
    set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT
                 "TSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/actors/tsan.supp")
  endif()
endfunction()
