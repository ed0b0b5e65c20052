// LoginLockout: per-account protection against password guessing, beside the
// per-address login rate limit. After `threshold` consecutive failed logins
// for one username, further attempts are refused without checking the
// password for `base` seconds, doubling with each further failure up to
// `max`. Usernames are counted whether or not the user exists, so a lockout
// tells nothing about which do. A successful login clears the count. State
// lives in the Store, shared by every instance. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/store.hpp"

namespace salesboost::identity {

struct LockoutOptions {
  std::int64_t threshold = 5;      // consecutive failures before the first lock; 0 turns locking off
  std::int64_t base_s = 30;        // the first lock's length
  std::int64_t max_s = 900;        // the longest lock
  std::int64_t forget_s = 86'400;  // failures older than this (and not locked) are forgotten
};

class LoginLockout {
 public:
  LoginLockout(storage::Store& store, const core::Clock& clock, LockoutOptions options)
      : store_(store), clock_(clock), options_(options) {}

  // How long `username` stays locked; nullopt when it may try now.
  boost::asio::awaitable<core::Result<std::optional<std::chrono::seconds>>> LockedFor(std::string tenant_id,
                                                                                      std::string username);
  // Counts a failure; returns the lock it starts, if any.
  boost::asio::awaitable<core::Result<std::optional<std::chrono::seconds>>> RecordFailure(std::string tenant_id,
                                                                                          std::string username);
  boost::asio::awaitable<core::Result<void>> Clear(std::string tenant_id, std::string username);

  // The lock after `failures` consecutive failures (zero below the threshold).
  std::chrono::seconds LockLength(std::int64_t failures) const;

 private:
  storage::Store& store_;
  const core::Clock& clock_;
  LockoutOptions options_;
};

}  // namespace salesboost::identity
