#include "core/secret_store.hpp"

#include <cctype>

namespace salesboost::core {

Result<std::string> ParseSecretRef(std::string_view reference) {
  if (!reference.starts_with(kSecretRefPrefix)) {
    return Fail(ErrorCode::kInvalidArgument, "secrets must be referenced as \"secret:<name>\", never written inline");
  }
  const std::string_view name = reference.substr(kSecretRefPrefix.size());
  if (name.empty() || name.size() > 200) {
    return Fail(ErrorCode::kInvalidArgument, "secret name must be 1 to 200 characters");
  }
  std::size_t segment_start = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '/') {
      const std::string_view segment = name.substr(segment_start, i - segment_start);
      if (segment.empty() || segment == "." || segment == "..") {
        return Fail(ErrorCode::kInvalidArgument, "secret name has an empty, '.' or '..' segment");
      }
      segment_start = i + 1;
      continue;
    }
    const auto c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c) && c != '_' && c != '-' && c != '.') {
      return Fail(ErrorCode::kInvalidArgument, "secret name may contain only letters, digits, '_', '-', '.', '/'");
    }
  }
  return std::string(name);
}

}  // namespace salesboost::core
