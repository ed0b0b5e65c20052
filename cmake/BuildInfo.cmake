# Generates build_info.hpp with the version, commit and build type.
execute_process(
  COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  OUTPUT_VARIABLE SALESBOOST_GIT_COMMIT
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(NOT SALESBOOST_GIT_COMMIT)
  set(SALESBOOST_GIT_COMMIT "unknown")
endif()
if(NOT CMAKE_BUILD_TYPE)
  set(SALESBOOST_BUILD_TYPE "unspecified")
else()
  string(TOLOWER "${CMAKE_BUILD_TYPE}" SALESBOOST_BUILD_TYPE)
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/build_info.hpp.in
               ${PROJECT_BINARY_DIR}/generated/build_info.hpp @ONLY)
