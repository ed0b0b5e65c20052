// SecretStore: resolves secret references ("secret:llm/deepseek") to values.
//
// Configuration never holds secret values, only references; the composition
// root resolves them through the configured store. Implementations: env and
// file now; Vault and AWS Secrets Manager drop in behind the same port.
// Get() may block (a remote store does I/O): never call it on an I/O thread.
// Secret values must never be logged.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace salesboost::core {

inline constexpr std::string_view kSecretRefPrefix = "secret:";

class SecretStore {
 public:
  virtual ~SecretStore() = default;

  // The value of secret `name` ("llm/deepseek"). kNotFound when it does not
  // exist, kUnavailable when the backend cannot be reached.
  virtual Result<std::string> Get(std::string_view name) = 0;

  // Get, past any cache in front of the provider (a caching store still
  // serves its last value when the provider fails). Stores without a cache
  // need not override it.
  virtual Result<std::string> GetFresh(std::string_view name) { return Get(name); }

  // Where `name` is looked up, for error messages ("env SALESBOOST_SECRET_LLM_DEEPSEEK").
  virtual std::string Describe(std::string_view name) const = 0;
};

// The name inside a reference: "secret:llm/deepseek" -> "llm/deepseek".
// A name is a path of [A-Za-z0-9_.-] segments separated by '/', with no
// empty, "." or ".." segment, then optionally "#<field>" and "@<version>"
// (each [A-Za-z0-9_.-]+), in that order: "llm/deepseek#api_key@3". Fields and
// versions are for the remote stores (vault, aws; docs/configuration.md).
Result<std::string> ParseSecretRef(std::string_view reference);

// A name taken apart: "llm/deepseek#api_key@3" -> {"llm/deepseek", "api_key", "3"}.
struct SecretName {
  std::string path;
  std::string field;    // empty: the store's default
  std::string version;  // empty: the current version
};
Result<SecretName> SplitSecretName(std::string_view name);

}  // namespace salesboost::core
