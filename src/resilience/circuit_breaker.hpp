// CircuitBreaker: one per external service (an LLM provider, the embedder,
// OCR), with the semantics of resilience4j's count-based breaker:
//
//   CLOSED     calls pass; each outcome goes into a sliding window of the last
//              `window` calls. Once at least `minimum_calls` are recorded, a
//              failure rate >= `failure_rate_percent` or a slow-call rate
//              >= `slow_call_rate_percent` (slow: took >= `slow_call_duration`)
//              opens the breaker.
//   OPEN       calls are refused without being tried, for `open_duration`;
//              the first call asked for after that moves it to HALF_OPEN.
//   HALF_OPEN  `half_open_calls` probe calls are let through, the rest
//              refused. When all probes have finished, their failure and slow
//              rates decide: over a threshold opens it again, else it closes.
//
// Each transition clears the window. An ignored outcome (the caller's own
// mistake, a cancelled call) frees its permit without counting. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace salesboost::resilience {

using std::chrono::milliseconds;

struct BreakerOptions {
  std::size_t window = 20;
  std::size_t minimum_calls = 10;
  double failure_rate_percent = 50;
  double slow_call_rate_percent = 100;  // 100: only when every call in the window is slow
  milliseconds slow_call_duration{10000};
  milliseconds open_duration{30000};
  std::size_t half_open_calls = 3;
};

enum class BreakerState { kClosed, kOpen, kHalfOpen };

// "closed", "open", "half_open"; the metric value is 0, 1, 2 in that order.
std::string_view BreakerStateName(BreakerState state);

enum class CallOutcome { kSuccess, kFailure, kIgnored };

class CircuitBreaker {
 public:
  using Listener = std::function<void(BreakerState from, BreakerState to)>;

  // `on_transition` runs under no lock of ours, after each change.
  CircuitBreaker(std::string name, BreakerOptions options, const core::Clock& clock, Listener on_transition = {});
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // True if a call may start now; then exactly one Record must follow.
  bool TryAcquire();
  void Record(CallOutcome outcome, std::chrono::steady_clock::duration elapsed);

  BreakerState State() const;
  // When OPEN: how long until probes are allowed; zero otherwise.
  milliseconds RetryAfter() const;

 private:
  struct Sample {
    bool failed = false;
    bool slow = false;
  };
  bool OverThresholdLocked() const;
  void TransitionLocked(BreakerState to, BreakerState* from, BreakerState* changed_to);
  void Notify(BreakerState from, BreakerState to) const;

  const std::string name_;
  const BreakerOptions options_;
  const core::Clock& clock_;
  const Listener on_transition_;
  mutable std::mutex mutex_;
  BreakerState state_ = BreakerState::kClosed;
  std::deque<Sample> window_;
  std::size_t failures_ = 0;
  std::size_t slow_ = 0;
  std::size_t probes_started_ = 0;
  std::chrono::system_clock::time_point opened_at_;
};

}  // namespace salesboost::resilience
