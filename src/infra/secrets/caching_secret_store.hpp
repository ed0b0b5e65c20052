// CachingSecretStore: wraps any SecretStore with a TTL cache, stale-on-error
// and an audit record per access.
//
// Get(name) serves a value read less than `ttl` ago from memory. Otherwise it
// asks the backend; when the backend fails (any error but kNotFound and
// kInvalidArgument) and a value for `name` was read before, that value is
// served, however old, with a warning in the log (never the value) and
// SecretSource::kStale in the audit record. A secret the backend says is
// gone (kNotFound) is dropped from the cache and the error returned. With
// ttl 0 every Get reaches the backend but the last value still backs errors.
//
// Every Get reports exactly one SecretAccess to the listener. Thread-safe;
// Get calls are serialised (the backend is asked by one caller at a time).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "core/logging.hpp"
#include "core/secret_access_listener.hpp"
#include "core/secret_store.hpp"

namespace salesboost::infra {

struct CachingSecretStoreOptions {
  std::chrono::seconds ttl{300};  // how long a value read from the backend is served from memory
  std::string provider;           // the backend's name in audit records and logs ("vault")
};

class CachingSecretStore final : public core::SecretStore {
 public:
  // `clock` and `listener` must outlive the store.
  CachingSecretStore(std::unique_ptr<core::SecretStore> backend, CachingSecretStoreOptions options,
                     const core::Clock& clock, core::SecretAccessListener& listener, core::Logger logger);

  core::Result<std::string> Get(std::string_view name) override;
  // Asks the backend even within the TTL (stale-on-error still applies).
  core::Result<std::string> GetFresh(std::string_view name) override;
  std::string Describe(std::string_view name) const override;

 private:
  core::Result<std::string> Read(std::string_view name, bool use_cache);

  struct Entry {
    std::string value;
    std::chrono::system_clock::time_point read_at;
  };

  std::unique_ptr<core::SecretStore> backend_;
  CachingSecretStoreOptions options_;
  const core::Clock& clock_;
  core::SecretAccessListener& listener_;
  core::Logger logger_;
  std::mutex mutex_;                                   // serialises Get; guards entries_
  std::map<std::string, Entry, std::less<>> entries_;  // by name as referenced
};

}  // namespace salesboost::infra
