// A file compiled into the binary (cmake/EmbedFiles.cmake), e.g. demo content.
#pragma once

#include <string_view>
#include <vector>

namespace salesboost::core {

struct EmbeddedFile {
  std::string_view name;     // file name without directories
  std::string_view content;  // the bytes, as in the source tree
};

}  // namespace salesboost::core
