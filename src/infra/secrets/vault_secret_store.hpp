// VaultSecretStore: secrets from a HashiCorp Vault KV version 2 engine.
//
// Secret "llm/deepseek#api_key@3" is field `api_key` of version 3 of
// GET <address>/v1/<mount>/data/llm/deepseek?version=3; without "#field" the
// field is `default_field` ("value"), without "@version" the latest version.
// A field must hold a JSON string.
//
// Auth: a token (X-Vault-Token), or AppRole: role_id and secret_id are
// exchanged at POST /v1/auth/<approle_mount>/login for a token, which is
// renewed by logging in again when 90% of its lease has passed (by `clock`)
// or when Vault answers 403 (once per read). Token and secret_id come from
// the configuration's environment variable or file, never from the config
// file; a `*_file` is read again for each login or read, so a rotated file
// is picked up. TLS through net::HttpClient (system CAs plus `ca_file`).
//
// Errors: kNotFound (404, or no such field), kPermissionDenied (403),
// kUnauthenticated (no token configured), kUnavailable (5xx, 429, Vault
// sealed, connection failures), kDeadlineExceeded (`timeout`). Messages carry
// Vault's own error text, never a token or a value.
//
// Get blocks (it runs the HTTP exchange on a private io_context): never call
// it on an I/O thread. Thread-safe: calls are serialised.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/secret_store.hpp"

namespace salesboost::net {
class HttpClient;
}

namespace salesboost::infra {

struct VaultOptions {
  std::string address;           // "https://vault.internal:8200"; required
  std::string mount = "secret";  // the KV v2 engine's mount path
  std::string namespace_name;    // X-Vault-Namespace (Vault Enterprise); empty: none
  std::string auth = "token";    // "token" or "approle"
  std::string token;             // auth token: the token itself (from the environment)
  std::string token_file;        // auth token: a file holding the token; wins over `token`
  std::string role_id;           // auth approle
  std::string secret_id;         // auth approle: the secret_id itself (from the environment)
  std::string secret_id_file;    // auth approle: a file holding the secret_id; wins over `secret_id`
  std::string approle_mount = "approle";
  std::string default_field = "value";      // the field read when a name has no "#field"
  std::string ca_file;                      // PEM CAs trusted besides the system's
  std::chrono::milliseconds timeout{5000};  // one HTTP exchange
};

class VaultSecretStore final : public core::SecretStore {
 public:
  VaultSecretStore(VaultOptions options, const core::Clock& clock);
  ~VaultSecretStore() override;

  core::Result<std::string> Get(std::string_view name) override;
  std::string Describe(std::string_view name) const override;

 private:
  VaultOptions options_;
  const core::Clock& clock_;
  std::mutex mutex_;            // serialises Get; guards the members below
  boost::asio::io_context io_;  // before client_: the client is destroyed first
  std::unique_ptr<net::HttpClient> client_;
  std::string approle_token_;                                      // empty: not logged in
  std::optional<std::chrono::system_clock::time_point> renew_at_;  // nullopt: no expiry
};

}  // namespace salesboost::infra
