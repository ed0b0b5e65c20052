// A file compiled into the binary (cmake/EmbedFiles.cmake), e.g. demo content.
#pragma once

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

namespace salesboost::core {

struct EmbeddedFile {
  std::string_view name;     // file name without directories
  std::string_view content;  // the bytes, as in the source tree
};

// The content of the file called `name` among `files`, if there is one.
inline std::optional<std::string_view> FindEmbeddedFile(const std::vector<EmbeddedFile>& files, std::string_view name) {
  const auto file = std::find_if(files.begin(), files.end(), [&](const EmbeddedFile& f) { return f.name == name; });
  if (file == files.end()) return std::nullopt;
  return file->content;
}

}  // namespace salesboost::core
