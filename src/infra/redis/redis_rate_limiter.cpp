#include "infra/redis/redis_rate_limiter.hpp"

#include <cmath>

namespace salesboost::infra {

namespace asio = boost::asio;
using core::RateDecision;
using core::Result;

namespace {

// KEYS: the bucket. ARGV: tokens per millisecond, burst. On the server's
// clock (TIME). {1, 0} when a token was taken, {0, ms until one is back}.
constexpr const char* kTake = R"lua(
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
local retry = 0
if tokens >= 1 - 1e-9 then
  tokens = math.max(0, tokens - 1)
  allowed = 1
else
  retry = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return {allowed, retry}
)lua";

}  // namespace

RedisRateLimiter::RedisRateLimiter(RedisClient& redis, RedisRateLimiterOptions options, const core::Clock& clock,
                                   core::MetricsRegistry& metrics, core::Logger logger)
    : redis_(redis),
      options_(std::move(options)),
      logger_(std::move(logger)),
      fallbacks_(metrics.AddCounter("salesboost_redis_fallbacks_total",
                                    "Calls served without Redis (unreachable) by port operation", {"port"})),
      fallback_(options_.limit, clock),
      take_(kTake) {}

std::string RedisRateLimiter::BucketKey(std::string_view key) const {
  return "sb:rl:" + options_.name + ":{" + std::string(key) + "}";
}

asio::awaitable<Result<RateDecision>> RedisRateLimiter::Acquire(std::string key) {
  const double per_ms = options_.limit.per_minute / 60000.0;
  char rate[64];
  std::snprintf(rate, sizeof(rate), "%.17g", per_ms);
  std::vector<std::string> keys{BucketKey(key)};
  std::vector<std::string> args{rate, std::to_string(options_.limit.burst)};
  auto reply = co_await redis_.Eval(take_, std::move(keys), std::move(args));
  if (!reply || !reply->IsArray() || reply->elements.size() != 2) {
    fallbacks_.With({"rate_limiter"}).Inc();
    logger_.Warn("rate limiter: decided in this process, redis unreachable",
                 {{"key", key}, {"error", reply ? std::string("unexpected reply") : reply.error().message}});
    co_return fallback_.Take(key);
  }
  if (reply->elements[0].integer == 1) {
    co_return RateDecision{.allowed = true, .retry_after = std::chrono::milliseconds(0)};
  }
  co_return RateDecision{.allowed = false, .retry_after = std::chrono::milliseconds(reply->elements[1].integer)};
}

}  // namespace salesboost::infra
