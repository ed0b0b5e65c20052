// RedisRateLimiter: the RateLimiter port across instances: one token bucket
// per key in Redis (sb:rl:<name>:{<key>}, a hash with a PX expiry of the
// refill time), taken by one atomic script on the Redis server's clock, with
// InProcessRateLimiter's semantics (per_minute, burst, retry_after until one
// token is back). Redis unreachable -> an in-process limiter with the same
// limit decides (salesboost_redis_fallbacks_total{port="rate_limiter"}).
// Thread-safe; `redis` and `clock` must outlive it.
#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/in_process_rate_limiter.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/rate_limiter.hpp"
#include "infra/redis/redis_client.hpp"

namespace salesboost::infra {

struct RedisRateLimiterOptions {
  std::string name = "turns";  // which limit (a key prefix): limiters of different names never share buckets
  core::RateLimit limit;
};

class RedisRateLimiter final : public core::RateLimiter {
 public:
  RedisRateLimiter(RedisClient& redis, RedisRateLimiterOptions options, const core::Clock& clock,
                   core::MetricsRegistry& metrics, core::Logger logger);

  boost::asio::awaitable<core::Result<core::RateDecision>> Acquire(std::string key) override;

  std::string BucketKey(std::string_view key) const;

 private:
  RedisClient& redis_;
  const RedisRateLimiterOptions options_;
  core::Logger logger_;
  core::Family<core::Counter>& fallbacks_;
  core::InProcessRateLimiter fallback_;
  const RedisScript take_;
};

}  // namespace salesboost::infra
