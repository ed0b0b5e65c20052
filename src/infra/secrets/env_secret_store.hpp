// EnvSecretStore: secret "llm/deepseek" is the environment variable
// SALESBOOST_SECRET_LLM_DEEPSEEK (prefix configurable; letters upper-cased,
// every other character becomes '_'). Reads a snapshot taken at construction,
// so it is thread-safe and tests need not touch the process environment.
#pragma once

#include <map>
#include <string>

#include "core/secret_store.hpp"

namespace salesboost::infra {

class EnvSecretStore final : public core::SecretStore {
 public:
  EnvSecretStore(std::string prefix, std::map<std::string, std::string> environment);

  core::Result<std::string> Get(std::string_view name) override;
  std::string Describe(std::string_view name) const override;

  std::string VariableFor(std::string_view name) const;

 private:
  std::string prefix_;
  std::map<std::string, std::string> environment_;
};

}  // namespace salesboost::infra
