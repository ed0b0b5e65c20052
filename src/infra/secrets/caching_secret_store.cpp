#include "infra/secrets/caching_secret_store.hpp"

namespace salesboost::infra {

CachingSecretStore::CachingSecretStore(std::unique_ptr<core::SecretStore> backend, CachingSecretStoreOptions options,
                                       const core::Clock& clock, core::SecretAccessListener& listener,
                                       core::Logger logger)
    : backend_(std::move(backend)),
      options_(std::move(options)),
      clock_(clock),
      listener_(listener),
      logger_(std::move(logger)) {}

std::string CachingSecretStore::Describe(std::string_view name) const { return backend_->Describe(name); }

core::Result<std::string> CachingSecretStore::Get(std::string_view name) { return Read(name, true); }

core::Result<std::string> CachingSecretStore::GetFresh(std::string_view name) { return Read(name, false); }

core::Result<std::string> CachingSecretStore::Read(std::string_view name, bool use_cache) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.Now();
  auto it = entries_.find(name);
  if (use_cache && it != entries_.end() && options_.ttl.count() > 0 && now - it->second.read_at < options_.ttl) {
    listener_.OnSecretAccess({.name = name,
                              .provider = options_.provider,
                              .outcome = core::SecretOutcome::kOk,
                              .source = core::SecretSource::kCache,
                              .error = {}});
    return it->second.value;
  }
  auto value = backend_->Get(name);
  if (value) {
    if (it == entries_.end()) it = entries_.emplace(std::string(name), Entry{}).first;
    it->second = Entry{.value = *value, .read_at = now};
    listener_.OnSecretAccess({.name = name,
                              .provider = options_.provider,
                              .outcome = core::SecretOutcome::kOk,
                              .source = core::SecretSource::kBackend,
                              .error = {}});
    return value;
  }
  const auto code = value.error().code;
  const bool definitive = code == core::ErrorCode::kNotFound || code == core::ErrorCode::kInvalidArgument;
  if (definitive && it != entries_.end()) {
    entries_.erase(it);
    it = entries_.end();
  }
  if (!definitive && it != entries_.end()) {
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - it->second.read_at);
    logger_.Warn("secret_stale_served", {{"secret", name},
                                         {"provider", options_.provider},
                                         {"age_s", static_cast<std::int64_t>(age.count())},
                                         {"error", value.error().message}});
    listener_.OnSecretAccess({.name = name,
                              .provider = options_.provider,
                              .outcome = core::SecretOutcome::kOk,
                              .source = core::SecretSource::kStale,
                              .error = value.error().message});
    return it->second.value;
  }
  listener_.OnSecretAccess({.name = name,
                            .provider = options_.provider,
                            .outcome = core::OutcomeOf(code),
                            .source = core::SecretSource::kBackend,
                            .error = value.error().message});
  return value;
}

}  // namespace salesboost::infra
