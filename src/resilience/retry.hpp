// When and how long to wait before trying a failed call again: only for
// retryable errors (core::IsRetryable), exponential backoff with jitter, a
// server's Retry-After honoured, never past the call's deadline. Pure.
#pragma once

#include <chrono>
#include <optional>
#include <random>

#include "core/error.hpp"

namespace salesboost::resilience {

using std::chrono::milliseconds;

struct RetryOptions {
  int max_attempts = 2;  // including the first
  milliseconds base_delay{200};
  milliseconds max_delay{2000};
};

struct RetryInput {
  int attempt = 1;  // the attempt that just failed, 1-based
  core::ErrorCode code = core::ErrorCode::kUnavailable;
  std::optional<milliseconds> retry_after;  // what the server asked for
  milliseconds time_left{0};                // until the call's deadline
  bool streamed = false;                    // output already reached the client
};

// The delay before the next attempt, or nullopt to give up (and fall back).
// The delay is drawn uniformly from [d/2, d] with d = base * 2^(attempt-1)
// capped at max_delay; a Retry-After longer than that wins, and one beyond
// max_delay or the deadline means giving up now.
std::optional<milliseconds> NextDelay(const RetryOptions& options, const RetryInput& input, std::mt19937_64& random);

}  // namespace salesboost::resilience
