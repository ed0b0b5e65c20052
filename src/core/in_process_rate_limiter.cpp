#include "core/in_process_rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace salesboost::core {
namespace {

double TokensPerSecond(const RateLimit& limit) { return limit.per_minute / 60.0; }

}  // namespace

InProcessRateLimiter::InProcessRateLimiter(RateLimit limit, const Clock& clock, std::size_t max_keys)
    : limit_(limit), clock_(clock), max_keys_(max_keys) {}

boost::asio::awaitable<Result<RateDecision>> InProcessRateLimiter::Acquire(std::string key) { co_return Take(key); }

RateDecision InProcessRateLimiter::Take(std::string_view key) {
  const auto now = clock_.Now();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) PruneLocked(now);
    it = buckets_.emplace(std::string(key), Bucket{limit_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(limit_.burst, bucket.tokens + std::max(0.0, elapsed) * TokensPerSecond(limit_));
  bucket.updated = now;
  constexpr double kEpsilon = 1e-9;  // refills summed from several intervals round down
  if (bucket.tokens >= 1.0 - kEpsilon) {
    bucket.tokens = std::max(0.0, bucket.tokens - 1.0);
    return RateDecision{.allowed = true, .retry_after = std::chrono::milliseconds(0)};
  }
  const double wait_s = (1.0 - bucket.tokens) / TokensPerSecond(limit_);
  return RateDecision{.allowed = false,
                      .retry_after = std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(wait_s * 1000)))};
}

void InProcessRateLimiter::PruneLocked(std::chrono::system_clock::time_point now) {
  const double refill_s = limit_.burst / TokensPerSecond(limit_);
  std::erase_if(buckets_, [&](const auto& entry) {
    return std::chrono::duration<double>(now - entry.second.updated).count() >= refill_s;
  });
}

std::size_t InProcessRateLimiter::Keys() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace salesboost::core
