#include "infra/secrets/file_secret_store.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace salesboost::infra {

namespace {
constexpr std::size_t kMaxSecretBytes = std::size_t{64} * 1024;
}

FileSecretStore::FileSecretStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

std::string FileSecretStore::Describe(std::string_view name) const { return "file " + (dir_ / name).string(); }

core::Result<std::string> FileSecretStore::Get(std::string_view name) {
  // Names come from ParseSecretRef (no '..' segments), but check again: this is a file path.
  if (auto parsed = core::ParseSecretRef(std::string(core::kSecretRefPrefix) + std::string(name)); !parsed) {
    return core::Fail(parsed.error());
  }
  if (name.find_first_of("#@") != std::string_view::npos) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "secret '" + std::string(name) + "': #field and @version need secrets.provider vault or aws");
  }
  const auto path = dir_ / name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (err == ENOENT) {
      return core::Fail(core::ErrorCode::kNotFound, "secret '" + std::string(name) + "' not found");
    }
    return core::Fail(core::ErrorCode::kUnavailable,
                      "secret '" + std::string(name) + "' cannot be read: " + std::strerror(err));
  }
  std::string value;
  value.resize(kMaxSecretBytes + 1);
  in.read(value.data(), static_cast<std::streamsize>(value.size()));
  value.resize(static_cast<std::size_t>(in.gcount()));
  if (value.size() > kMaxSecretBytes) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "secret '" + std::string(name) + "' is larger than 64 KiB");
  }
  if (value.ends_with("\r\n")) {
    value.resize(value.size() - 2);
  } else if (value.ends_with('\n')) {
    value.pop_back();
  }
  if (value.empty()) {
    return core::Fail(core::ErrorCode::kNotFound, "secret '" + std::string(name) + "' is empty");
  }
  return value;
}

}  // namespace salesboost::infra
