// SecretAccessListener: told of every secret read, for the audit trail. A
// record names the secret, the provider, the outcome and where the value came
// from; it never carries the value. The caching store (infra/secrets/
// caching_secret_store.hpp) reports each Get exactly once. Implementations
// must be thread-safe, quick and must not throw; the default writes one JSON
// log line per access (LoggingSecretAccessListener), a persistent audit log
// implements the same interface.
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "core/logging.hpp"

namespace salesboost::core {

enum class SecretSource {
  kBackend,  // read from the provider just now
  kCache,    // served from the cache within its TTL
  kStale,    // the provider failed; the last value it gave was served
};

enum class SecretOutcome { kOk, kNotFound, kDenied, kFailed };

struct SecretAccess {
  std::string_view name;      // "llm/deepseek#api_key@3", as referenced
  std::string_view provider;  // "env", "file", "vault", "aws"
  SecretOutcome outcome = SecretOutcome::kOk;
  SecretSource source = SecretSource::kBackend;
  std::string_view error;  // the provider's error message when it failed (also when a stale value was served)
};

std::string_view SecretSourceName(SecretSource source);     // "backend", "cache", "stale"
std::string_view SecretOutcomeName(SecretOutcome outcome);  // "ok", "not_found", "denied", "failed"
// kOk is never an error; kNotFound for kNotFound, kDenied for kUnauthenticated/kPermissionDenied.
SecretOutcome OutcomeOf(ErrorCode code);

class SecretAccessListener {
 public:
  virtual ~SecretAccessListener() = default;
  virtual void OnSecretAccess(const SecretAccess& access) noexcept = 0;
};

// One "secret_access" log line per access: info when served, warn when stale
// or failed.
class LoggingSecretAccessListener final : public SecretAccessListener {
 public:
  explicit LoggingSecretAccessListener(Logger logger) : logger_(std::move(logger)) {}
  void OnSecretAccess(const SecretAccess& access) noexcept override;

 private:
  Logger logger_;
};

}  // namespace salesboost::core
