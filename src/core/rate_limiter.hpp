// RateLimiter: token buckets by key (a user id, a client address). The port
// the Redis-backed limiter implements when instances scale out (one atomic
// script); InProcessRateLimiter is the embedded default. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace salesboost::core {

struct RateLimit {
  double per_minute = 10;  // sustained rate
  double burst = 3;        // bucket size: this many at once after a quiet period
};

struct RateDecision {
  bool allowed = true;
  std::chrono::milliseconds retry_after{0};  // when refused: until one token is back
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Takes one token from `key`'s bucket if there is one.
  virtual RateDecision Acquire(std::string_view key) = 0;
};

class InProcessRateLimiter final : public RateLimiter {
 public:
  // Buckets that have refilled completely are dropped once more than `max_keys` exist.
  InProcessRateLimiter(RateLimit limit, const Clock& clock, std::size_t max_keys = 100'000);

  RateDecision Acquire(std::string_view key) override;
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
