// InProcessRateLimiter: the embedded RateLimiter, token buckets in a map of
// this process. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/rate_limiter.hpp"

namespace salesboost::core {

class InProcessRateLimiter final : public RateLimiter {
 public:
  // Buckets that have refilled completely are dropped once more than `max_keys` exist.
  InProcessRateLimiter(RateLimit limit, const Clock& clock, std::size_t max_keys = 100'000);

  boost::asio::awaitable<Result<RateDecision>> Acquire(std::string key) override;
  // The same decision, synchronously: the buckets are local, nothing waits.
  RateDecision Take(std::string_view key);
  std::size_t Keys() const;

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::system_clock::time_point updated;
  };
  void PruneLocked(std::chrono::system_clock::time_point now);

  RateLimit limit_;
  const Clock& clock_;
  std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mutex_
};

}  // namespace salesboost::core
