#include "core/secret_store.hpp"

#include <cctype>

namespace salesboost::core {
namespace {

bool IsNameChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '_' || c == '-' || c == '.';
}

Result<void> CheckPath(std::string_view path) {
  std::size_t segment_start = 0;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      const std::string_view segment = path.substr(segment_start, i - segment_start);
      if (segment.empty() || segment == "." || segment == "..") {
        return Fail(ErrorCode::kInvalidArgument, "secret name has an empty, '.' or '..' segment");
      }
      segment_start = i + 1;
      continue;
    }
    if (!IsNameChar(path[i])) {
      return Fail(ErrorCode::kInvalidArgument,
                  "secret name may contain only letters, digits, '_', '-', '.', '/', then #field and @version");
    }
  }
  return Ok();
}

Result<void> CheckSuffix(std::string_view text, std::string_view what) {
  if (text.empty()) return Fail(ErrorCode::kInvalidArgument, "secret " + std::string(what) + " is empty");
  for (char c : text) {
    if (!IsNameChar(c)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "secret " + std::string(what) + " may contain only letters, digits, '_', '-', '.'");
    }
  }
  return Ok();
}

}  // namespace

Result<SecretName> SplitSecretName(std::string_view name) {
  if (name.empty() || name.size() > 200) {
    return Fail(ErrorCode::kInvalidArgument, "secret name must be 1 to 200 characters");
  }
  SecretName out;
  std::string_view rest = name;
  if (const auto at = rest.find('@'); at != std::string_view::npos) {
    if (auto ok = CheckSuffix(rest.substr(at + 1), "version"); !ok) return Fail(ok.error());
    out.version = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
  }
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    if (auto ok = CheckSuffix(rest.substr(hash + 1), "field"); !ok) return Fail(ok.error());
    out.field = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  if (auto ok = CheckPath(rest); !ok) return Fail(ok.error());
  out.path = std::string(rest);
  return out;
}

Result<std::string> ParseSecretRef(std::string_view reference) {
  if (!reference.starts_with(kSecretRefPrefix)) {
    return Fail(ErrorCode::kInvalidArgument, "secrets must be referenced as \"secret:<name>\", never written inline");
  }
  const std::string_view name = reference.substr(kSecretRefPrefix.size());
  if (auto split = SplitSecretName(name); !split) return Fail(split.error());
  return std::string(name);
}

}  // namespace salesboost::core
