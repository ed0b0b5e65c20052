// Reading a whole file into memory. Thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace salesboost::core {

// The file's bytes, or nullopt when it cannot be opened.
std::optional<std::string> ReadWholeFile(const std::filesystem::path& path);

}  // namespace salesboost::core
