// RateLimiter: token buckets by key (a user id, a client address). The port
// the Redis-backed limiter implements when instances scale out (one atomic
// script); InProcessRateLimiter (in_process_rate_limiter.hpp) is the embedded
// default. Asynchronous and fallible, as a remote limiter is: a caller decides
// what an unreachable limiter means for its request. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "core/result.hpp"

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
  // Takes one token from `key`'s bucket if there is one. kUnavailable when the
  // limiter cannot be reached.
  virtual boost::asio::awaitable<Result<RateDecision>> Acquire(std::string key) = 0;
};

}  // namespace salesboost::core
