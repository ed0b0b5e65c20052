# One helper per target kind. Every target lists its sources explicitly and
# declares what it links; warnings are errors on our own code.

function(sb_apply_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough -Werror)
endfunction()

# sb_include_root(target SOURCES ...)
# Gives `target` an include root of its own that holds only the src/ folders
# of its sources (build/include/<target>/<folder> links to src/<folder>), so
# that a header is reachable as "module/file.hpp" only by targets that link
# its library: an include across the layering fails to build.
function(sb_include_root target)
  set(folders "")
  foreach(source ${ARGN})
    get_filename_component(path ${source} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    file(RELATIVE_PATH relative ${PROJECT_SOURCE_DIR}/src ${path})
    if(relative MATCHES "^\\.\\.")
      continue()  # generated sources
    endif()
    get_filename_component(folder ${relative} DIRECTORY)
    list(APPEND folders ${folder})
  endforeach()
  list(REMOVE_DUPLICATES folders)
  set(root ${PROJECT_BINARY_DIR}/include/${target})
  file(REMOVE_RECURSE ${root})
  foreach(folder ${folders})
    set(nested FALSE)
    foreach(outer ${folders})
      string(FIND "${folder}" "${outer}/" at)
      if(at EQUAL 0)
        set(nested TRUE)
      endif()
    endforeach()
    if(NOT nested)
      get_filename_component(parent ${root}/${folder} DIRECTORY)
      file(MAKE_DIRECTORY ${parent})
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${folder} ${root}/${folder} SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(${target} PUBLIC ${root} ${PROJECT_BINARY_DIR}/generated)
endfunction()

# sb_library(name SOURCES ... [DEPS ...])
# A static library whose headers are included as "module/file.hpp", visible
# to the targets that link it (sb_include_root).
function(sb_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  sb_include_root(${name} ${ARG_SOURCES})
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
