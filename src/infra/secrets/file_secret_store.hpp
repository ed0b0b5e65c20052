// FileSecretStore: secret "llm/deepseek" is the file <dir>/llm/deepseek
// (the layout of Kubernetes and Docker secret mounts). One trailing newline is
// stripped. Reads the file on every Get, so a rotated file is picked up
// without a restart. Thread-safe.
#pragma once

#include <filesystem>
#include <string>

#include "core/secret_store.hpp"

namespace salesboost::infra {

class FileSecretStore final : public core::SecretStore {
 public:
  explicit FileSecretStore(std::filesystem::path dir);

  core::Result<std::string> Get(std::string_view name) override;
  std::string Describe(std::string_view name) const override;

 private:
  std::filesystem::path dir_;
};

}  // namespace salesboost::infra
