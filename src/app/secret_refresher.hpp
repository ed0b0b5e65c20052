// SecretRefresher: reads chosen secrets again every interval, on a thread of
// its own, and hands each value to its consumer, so a secret rotated in the
// provider takes effect without a restart (today: the token signing key,
// through TokenService::Rotate). Reads go through the caching store, so a
// provider outage serves the last value (no change) and a value is re-read
// from the provider at most once per secrets.cache_ttl_s. Consumers must
// ignore a value equal to the one they hold and must not block.
// Thread-safe; Stop (or the destructor) joins the thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/logging.hpp"
#include "core/secret_store.hpp"

namespace salesboost::app {

struct SecretWatch {
  std::string name;                                // "auth/jwt", as in the reference
  std::function<void(std::string value)> consume;  // called from the refresher's thread
};

class SecretRefresher {
 public:
  // `store` must outlive the refresher.
  SecretRefresher(core::SecretStore& store, std::vector<SecretWatch> watches, core::Logger logger);
  ~SecretRefresher();
  SecretRefresher(const SecretRefresher&) = delete;
  SecretRefresher& operator=(const SecretRefresher&) = delete;

  // One round over every watch, on the caller's thread; `fresh` reads past the cache.
  void RefreshOnce(bool fresh = false);
  // Asks the running refresher for a round past the cache now, e.g. when a
  // token names a key this instance does not know yet. Never blocks; rounds
  // asked for this way run at most once per `kMinFreshGap` (a flood of forged
  // tokens costs the provider one read per gap).
  void RefreshSoon();
  static constexpr std::chrono::seconds kMinFreshGap{5};
  // A round every `interval` until Stop.
  void Start(std::chrono::milliseconds interval);
  void Stop();

 private:
  core::SecretStore& store_;
  std::vector<SecretWatch> watches_;
  core::Logger logger_;
  std::mutex mutex_;  // guards stop_, soon_ and last_fresh_
  std::condition_variable wake_;
  bool stop_ = false;
  bool soon_ = false;
  std::chrono::steady_clock::time_point last_fresh_{};
  std::thread thread_;
};

}  // namespace salesboost::app
