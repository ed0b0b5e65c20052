#include "infra/secrets/env_secret_store.hpp"

#include <cctype>

namespace salesboost::infra {

EnvSecretStore::EnvSecretStore(std::string prefix, std::map<std::string, std::string> environment)
    : prefix_(std::move(prefix)), environment_(std::move(environment)) {}

std::string EnvSecretStore::VariableFor(std::string_view name) const {
  std::string var = prefix_;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    var.push_back(std::isalnum(u) ? static_cast<char>(std::toupper(u)) : '_');
  }
  return var;
}

core::Result<std::string> EnvSecretStore::Get(std::string_view name) {
  if (name.find_first_of("#@") != std::string_view::npos) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "secret '" + std::string(name) + "': #field and @version need secrets.provider vault or aws");
  }
  const auto it = environment_.find(VariableFor(name));
  if (it == environment_.end() || it->second.empty()) {
    return core::Fail(core::ErrorCode::kNotFound, "secret '" + std::string(name) + "' is not set");
  }
  return it->second;
}

std::string EnvSecretStore::Describe(std::string_view name) const {
  return "environment variable " + VariableFor(name);
}

}  // namespace salesboost::infra
