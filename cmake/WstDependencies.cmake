# Third-party dependencies, all from Debian 12 packages (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

pkg_check_modules(BOTAN REQUIRED IMPORTED_TARGET botan-2)
pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET libuv)

# CAF 0.17 ships no CMake config: locate it by hand.
find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
add_library(wst_dep_caf INTERFACE)
target_include_directories(wst_dep_caf SYSTEM INTERFACE ${CAF_INCLUDE_DIR})
target_link_libraries(wst_dep_caf INTERFACE ${CAF_CORE_LIBRARY} Threads::Threads)
# UBSan's null check fires inside CAF's own spawn machinery (init_fun_factory): every target
# that compiles CAF code turns that one check off.
if(WST_SANITIZE)
  target_compile_options(wst_dep_caf INTERFACE -fno-sanitize=null)
endif()

# RapidXML is header only.
find_path(RAPIDXML_INCLUDE_DIR rapidxml.hpp PATH_SUFFIXES rapidxml REQUIRED)
add_library(wst_dep_rapidxml INTERFACE)
target_include_directories(wst_dep_rapidxml SYSTEM INTERFACE ${RAPIDXML_INCLUDE_DIR})

# llhttp: compiled from the C sources Debian ships in node-llhttp.
find_path(LLHTTP_SOURCE_DIR llhttp.c PATHS /usr/share/llhttp REQUIRED NO_DEFAULT_PATH)
find_path(LLHTTP_INCLUDE_DIR llhttp.h PATHS /usr/share/include/llhttp /usr/include REQUIRED)
add_library(wst_dep_llhttp STATIC
  ${LLHTTP_SOURCE_DIR}/llhttp.c ${LLHTTP_SOURCE_DIR}/api.c ${LLHTTP_SOURCE_DIR}/http.c)
target_include_directories(wst_dep_llhttp SYSTEM PUBLIC ${LLHTTP_INCLUDE_DIR})
set_target_properties(wst_dep_llhttp PROPERTIES C_VISIBILITY_PRESET hidden)
target_compile_options(wst_dep_llhttp PRIVATE -w)

if(WST_BUILD_TESTS)
  find_package(Boost 1.74 REQUIRED COMPONENTS unit_test_framework)
endif()
if(WST_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
