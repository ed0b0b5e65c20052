#include "resilience/retry.hpp"

#include <algorithm>

namespace salesboost::resilience {

std::optional<milliseconds> NextDelay(const RetryOptions& options, const RetryInput& input, std::mt19937_64& random) {
  if (input.streamed || input.attempt >= options.max_attempts || !core::IsRetryable(input.code)) return std::nullopt;
  const int doublings = std::clamp(input.attempt - 1, 0, 20);
  const auto capped = std::min(options.max_delay, options.base_delay * (std::int64_t{1} << doublings));
  std::uniform_int_distribution<std::int64_t> jitter(capped.count() / 2, capped.count());
  milliseconds delay(jitter(random));
  if (input.retry_after) {
    if (*input.retry_after > options.max_delay) return std::nullopt;
    delay = std::max(delay, *input.retry_after);
  }
  if (delay >= input.time_left) return std::nullopt;
  return delay;
}

}  // namespace salesboost::resilience
