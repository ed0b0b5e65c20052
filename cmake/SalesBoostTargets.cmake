# One helper per target kind. Every target lists its sources explicitly and
# declares what it links; warnings are errors on our own code.

function(sb_apply_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough -Werror)
endfunction()

# sb_library(name SOURCES ... [DEPS ...])
# A static library whose headers are included as "module/file.hpp" from src/.
function(sb_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  sb_apply_warnings(${name})
endfunction()

# sb_executable(name SOURCES ... [DEPS ...])
function(sb_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  sb_apply_warnings(${name})
endfunction()

# sb_test(name SOURCES ... [DEPS ...] [LABELS ...] [TIMEOUT seconds])
# A GoogleTest binary; each TEST becomes one CTest test carrying LABELS.
function(sb_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 60)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  sb_apply_warnings(${name})
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
      # Tesseract's OpenMP threads fight page-level parallelism on small machines.
      ENVIRONMENT "OMP_THREAD_LIMIT=1")
endfunction()
