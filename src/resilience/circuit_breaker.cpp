#include "resilience/circuit_breaker.hpp"

#include <algorithm>
#include <utility>

namespace salesboost::resilience {
namespace {

BreakerOptions Sane(BreakerOptions options) {
  options.window = std::max<std::size_t>(options.window, 1);
  options.minimum_calls = std::clamp<std::size_t>(options.minimum_calls, 1, options.window);
  options.half_open_calls = std::max<std::size_t>(options.half_open_calls, 1);
  return options;
}

}  // namespace

std::string_view BreakerStateName(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(std::string name, BreakerOptions options, const core::Clock& clock,
                               Listener on_transition)
    : name_(std::move(name)), options_(Sane(options)), clock_(clock), on_transition_(std::move(on_transition)) {}

bool CircuitBreaker::TryAcquire() {
  BreakerState from{};
  BreakerState to{};
  bool allowed = false;
  {
    std::lock_guard lock(mutex_);
    if (state_ == BreakerState::kOpen && clock_.Now() - opened_at_ >= options_.open_duration) {
      TransitionLocked(BreakerState::kHalfOpen, &from, &to);
    }
    switch (state_) {
      case BreakerState::kClosed:
        allowed = true;
        break;
      case BreakerState::kOpen:
        allowed = false;
        break;
      case BreakerState::kHalfOpen:
        allowed = probes_started_ < options_.half_open_calls;
        if (allowed) ++probes_started_;
        break;
    }
  }
  if (from != to) Notify(from, to);
  return allowed;
}

void CircuitBreaker::Record(CallOutcome outcome, std::chrono::steady_clock::duration elapsed) {
  BreakerState from{};
  BreakerState to{};
  {
    std::lock_guard lock(mutex_);
    if (state_ == BreakerState::kOpen) return;  // a call that started before the breaker opened
    if (outcome == CallOutcome::kIgnored) {
      if (state_ == BreakerState::kHalfOpen && probes_started_ > 0) --probes_started_;
      return;
    }
    const Sample sample{.failed = outcome == CallOutcome::kFailure, .slow = elapsed >= options_.slow_call_duration};
    window_.push_back(sample);
    failures_ += sample.failed ? 1 : 0;
    slow_ += sample.slow ? 1 : 0;
    if (state_ == BreakerState::kClosed) {
      if (window_.size() > options_.window) {
        failures_ -= window_.front().failed ? 1 : 0;
        slow_ -= window_.front().slow ? 1 : 0;
        window_.pop_front();
      }
      if (window_.size() >= options_.minimum_calls && OverThresholdLocked()) {
        TransitionLocked(BreakerState::kOpen, &from, &to);
      }
    } else if (window_.size() >= options_.half_open_calls) {
      TransitionLocked(OverThresholdLocked() ? BreakerState::kOpen : BreakerState::kClosed, &from, &to);
    }
  }
  if (from != to) Notify(from, to);
}

bool CircuitBreaker::OverThresholdLocked() const {
  const double calls = static_cast<double>(window_.size());
  const double failure_rate = 100.0 * static_cast<double>(failures_) / calls;
  const double slow_rate = 100.0 * static_cast<double>(slow_) / calls;
  return failure_rate >= options_.failure_rate_percent || slow_rate >= options_.slow_call_rate_percent;
}

void CircuitBreaker::TransitionLocked(BreakerState to, BreakerState* from, BreakerState* changed_to) {
  *from = state_;
  *changed_to = to;
  state_ = to;
  window_.clear();
  failures_ = 0;
  slow_ = 0;
  probes_started_ = 0;
  if (to == BreakerState::kOpen) opened_at_ = clock_.Now();
}

void CircuitBreaker::Notify(BreakerState from, BreakerState to) const {
  if (on_transition_) on_transition_(from, to);
}

BreakerState CircuitBreaker::State() const {
  std::lock_guard lock(mutex_);
  return state_;
}

milliseconds CircuitBreaker::RetryAfter() const {
  std::lock_guard lock(mutex_);
  if (state_ != BreakerState::kOpen) return milliseconds(0);
  const auto left = options_.open_duration - (clock_.Now() - opened_at_);
  return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(left));
}

}  // namespace salesboost::resilience
