// RedisSessionLeases: the SessionLeases port on Redis, for instances scaled out.
//
// The lease of session S is the key sb:{S}:lease = "<instance_id>:<epoch>",
// set with a PX expiry (`ttl`) by one script that also increments the fencing
// epoch sb:{S}:epoch and records the last holder sb:{S}:last (Lease::continued:
// the last holder was this instance). Renew is a compare-and-PEXPIRE, Release a
// compare-and-DEL. Acquire polls a held lease with backoff (poll_min growing to
// poll_max) up to its wait; a lease whose holder is gone (InstanceRegistry::
// Alive is false) is taken over at once, before its expiry; a lease this
// instance already holds is granted to it again (a new epoch), as the
// embedded InProcessSessionLeases grants every call. Keys of a session
// share the hash tag {S}. Thread-safe; `redis` and `instances` must outlive it.
//
// Metrics: salesboost_session_takeovers_total, salesboost_session_leases_held.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "conversation/session_leases.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "infra/redis/instance_registry.hpp"
#include "infra/redis/redis_client.hpp"

namespace salesboost::infra {

struct RedisSessionLeasesOptions {
  std::chrono::milliseconds ttl{15000};                      // a lease not renewed for this long expires
  std::chrono::milliseconds poll_min{20};                    // first wait between tries of a held lease
  std::chrono::milliseconds poll_max{200};                   // longest wait between tries
  std::chrono::milliseconds history_ttl{7 * 24 * 3600'000};  // lifetime of the epoch and last-holder keys
};

class RedisSessionLeases final : public conversation::SessionLeases {
 public:
  RedisSessionLeases(RedisClient& redis, InstanceRegistry& instances, RedisSessionLeasesOptions options,
                     core::MetricsRegistry& metrics, core::Logger logger);

  boost::asio::awaitable<core::Result<conversation::Lease>> Acquire(std::string session_id,
                                                                    std::chrono::milliseconds wait) override;
  boost::asio::awaitable<core::Result<bool>> Renew(std::string session_id, conversation::Lease lease) override;
  boost::asio::awaitable<core::Result<void>> Release(std::string session_id, conversation::Lease lease) override;
  std::chrono::milliseconds RenewInterval() const override { return options_.ttl / 3; }

  // The value of the session's lease while this instance holds it
  // ("<instance>:<epoch>"), for writes fenced by it: the hub's publishes and
  // the live buffer's appends go through only while the lease key still holds
  // this value, so an owner that lost the session (paused, cut off) cannot
  // reach its subscriber after the next owner took over.
  std::optional<std::string> HeldValue(std::string_view session_id) const;

  static std::string LeaseKey(std::string_view session_id);

 private:
  struct Attempt;
  boost::asio::awaitable<core::Result<Attempt>> TryAcquire(std::string session_id, std::string replace);
  std::string Value(const conversation::Lease& lease) const;

  RedisClient& redis_;
  InstanceRegistry& instances_;
  const RedisSessionLeasesOptions options_;
  core::Logger logger_;
  core::Counter& takeovers_;
  core::Gauge& held_;
  const RedisScript acquire_;
  const RedisScript renew_;
  const RedisScript release_;
  mutable std::mutex held_mutex_;
  std::unordered_map<std::string, std::string> held_values_;  // guarded by held_mutex_: session -> lease value
  void Remember(const std::string& session_id, const conversation::Lease& lease);
  void Forget(const std::string& session_id, const conversation::Lease& lease);
};

}  // namespace salesboost::infra
