# sb_embed_migrations(OUTPUT file.cpp FILES 0001_x.sql ...)
# Writes a C++ source that holds every migration as a string, so the binary
# needs no source tree at run time. File names are NNNN_name.sql.
function(sb_embed_migrations)
  cmake_parse_arguments(ARG "" "OUTPUT" "FILES" ${ARGN})
  set(body "")
  foreach(file ${ARG_FILES})
    get_filename_component(stem ${file} NAME_WE)
    string(REGEX MATCH "^([0-9]+)_(.+)$" _ ${stem})
    if(NOT CMAKE_MATCH_1)
      message(FATAL_ERROR "migration ${file}: name must be NNNN_name.sql")
    endif()
    math(EXPR version "${CMAKE_MATCH_1}")
    file(READ ${file} sql)
    string(APPEND body "    {${version}, \"${CMAKE_MATCH_2}\", R\"sbsql(${sql})sbsql\"},\n")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  endforeach()
  file(CONFIGURE OUTPUT ${ARG_OUTPUT} CONTENT
"// Generated from src/storage/migrations by cmake/EmbedMigrations.cmake; do not edit.
#include \"storage/migration.hpp\"

namespace salesboost::storage {
const std::vector<Migration>& BuiltinMigrations() {
  static const std::vector<Migration> kMigrations = {
${body}  };
  return kMigrations;
}
}  // namespace salesboost::storage
" @ONLY)
endfunction()
