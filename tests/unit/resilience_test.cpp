#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/manual_clock.hpp"
#include "resilience/circuit_breaker.hpp"
#include "resilience/retry.hpp"

namespace salesboost::resilience {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;

class BreakerTest : public ::testing::Test {
 protected:
  BreakerOptions Options() {
    return BreakerOptions{.window = 10,
                          .minimum_calls = 4,
                          .failure_rate_percent = 50,
                          .slow_call_rate_percent = 80,
                          .slow_call_duration = 1000ms,
                          .open_duration = 5000ms,
                          .half_open_calls = 2};
  }
  CircuitBreaker Make() {
    return CircuitBreaker("p", Options(), clock_,
                          [this](BreakerState from, BreakerState to) { transitions_.emplace_back(from, to); });
  }
  void Call(CircuitBreaker& breaker, CallOutcome outcome, std::chrono::milliseconds elapsed = 10ms) {
    ASSERT_TRUE(breaker.TryAcquire());
    breaker.Record(outcome, elapsed);
  }

  core::ManualClock clock_{std::chrono::system_clock::time_point{} + 1000h};
  std::vector<std::pair<BreakerState, BreakerState>> transitions_;
};

TEST_F(BreakerTest, StaysClosedBelowMinimumCallsEvenIfAllFail) {
  auto breaker = Make();
  for (int i = 0; i < 3; ++i) Call(breaker, CallOutcome::kFailure);
  EXPECT_EQ(breaker.State(), BreakerState::kClosed);
  Call(breaker, CallOutcome::kFailure);
  EXPECT_EQ(breaker.State(), BreakerState::kOpen);
}

TEST_F(BreakerTest, OpensAtTheFailureRateThresholdOverTheSlidingWindow) {
  auto breaker = Make();
  for (int i = 0; i < 6; ++i) Call(breaker, CallOutcome::kSuccess);
  for (int i = 0; i < 4; ++i) Call(breaker, CallOutcome::kFailure);  // 4 of 10: 40%
  EXPECT_EQ(breaker.State(), BreakerState::kClosed);
  Call(breaker, CallOutcome::kFailure);  // the oldest success leaves the window: 5 of 10
  EXPECT_EQ(breaker.State(), BreakerState::kOpen);
  ASSERT_EQ(transitions_.size(), 1U);
  EXPECT_EQ(transitions_[0], std::make_pair(BreakerState::kClosed, BreakerState::kOpen));
}

TEST_F(BreakerTest, OldFailuresSlideOutOfTheWindow) {
  auto breaker = Make();
  for (int i = 0; i < 4; ++i) Call(breaker, CallOutcome::kSuccess);
  for (int i = 0; i < 3; ++i) Call(breaker, CallOutcome::kFailure);  // 3 of 7
  for (int i = 0; i < 20; ++i) Call(breaker, CallOutcome::kSuccess);
  Call(breaker, CallOutcome::kFailure);
  Call(breaker, CallOutcome::kFailure);  // 2 of 10
  EXPECT_EQ(breaker.State(), BreakerState::kClosed);
}

TEST_F(BreakerTest, SlowSuccessesOpenItAtTheSlowCallRate) {
  auto breaker = Make();
  for (int i = 0; i < 2; ++i) Call(breaker, CallOutcome::kSuccess);
  for (int i = 0; i < 7; ++i) Call(breaker, CallOutcome::kSuccess, 1500ms);  // 7 of 9
  EXPECT_EQ(breaker.State(), BreakerState::kClosed);
  Call(breaker, CallOutcome::kSuccess, 1000ms);  // at the threshold counts as slow: 8 of 10
  EXPECT_EQ(breaker.State(), BreakerState::kOpen);
}

TEST_F(BreakerTest, OpenRefusesUntilTheOpenDurationThenLetsALimitedNumberOfProbes) {
  auto breaker = Make();
  for (int i = 0; i < 4; ++i) Call(breaker, CallOutcome::kFailure);
  ASSERT_EQ(breaker.State(), BreakerState::kOpen);
  EXPECT_FALSE(breaker.TryAcquire());
  EXPECT_EQ(breaker.RetryAfter(), 5000ms);
  clock_.Advance(4999ms);
  EXPECT_FALSE(breaker.TryAcquire());
  EXPECT_EQ(breaker.RetryAfter(), 1ms);
  clock_.Advance(1ms);
  EXPECT_TRUE(breaker.TryAcquire());
  EXPECT_EQ(breaker.State(), BreakerState::kHalfOpen);
  EXPECT_TRUE(breaker.TryAcquire());
  EXPECT_FALSE(breaker.TryAcquire()) << "only two probes at a time";
  breaker.Record(CallOutcome::kSuccess, 10ms);
  EXPECT_EQ(breaker.State(), BreakerState::kHalfOpen) << "decided when every probe has finished";
  breaker.Record(CallOutcome::kSuccess, 10ms);
  EXPECT_EQ(breaker.State(), BreakerState::kClosed);
  const std::vector<std::pair<BreakerState, BreakerState>> expected{{BreakerState::kClosed, BreakerState::kOpen},
                                                                    {BreakerState::kOpen, BreakerState::kHalfOpen},
                                                                    {BreakerState::kHalfOpen, BreakerState::kClosed}};
  EXPECT_EQ(transitions_, expected);
  // Closed again with an empty window: three failures do not reopen it.
  for (int i = 0; i < 3; ++i) Call(breaker, CallOutcome::kFailure);
  EXPECT_EQ(breaker.State(), BreakerState::kClosed);
}

TEST_F(BreakerTest, AFailedProbeReopensForAnotherFullOpenDuration) {
  auto breaker = Make();
  for (int i = 0; i < 4; ++i) Call(breaker, CallOutcome::kFailure);
  clock_.Advance(5000ms);
  Call(breaker, CallOutcome::kSuccess);
  Call(breaker, CallOutcome::kFailure);  // 1 of 2 probes failed: 50%
  EXPECT_EQ(breaker.State(), BreakerState::kOpen);
  EXPECT_EQ(breaker.RetryAfter(), 5000ms);
  EXPECT_FALSE(breaker.TryAcquire());
}

TEST_F(BreakerTest, IgnoredOutcomesFreeTheirPermitAndDoNotCount) {
  auto breaker = Make();
  for (int i = 0; i < 10; ++i) Call(breaker, CallOutcome::kIgnored);
  EXPECT_EQ(breaker.State(), BreakerState::kClosed);
  for (int i = 0; i < 4; ++i) Call(breaker, CallOutcome::kFailure);
  clock_.Advance(5000ms);
  ASSERT_TRUE(breaker.TryAcquire());
  ASSERT_TRUE(breaker.TryAcquire());
  breaker.Record(CallOutcome::kIgnored, 10ms);
  EXPECT_TRUE(breaker.TryAcquire()) << "the ignored probe's permit is free again";
  breaker.Record(CallOutcome::kSuccess, 10ms);
  breaker.Record(CallOutcome::kSuccess, 10ms);
  EXPECT_EQ(breaker.State(), BreakerState::kClosed);
}

TEST_F(BreakerTest, OutcomesOfCallsStartedBeforeItOpenedAreDropped) {
  auto breaker = Make();
  ASSERT_TRUE(breaker.TryAcquire());  // a long call in flight
  for (int i = 0; i < 4; ++i) Call(breaker, CallOutcome::kFailure);
  ASSERT_EQ(breaker.State(), BreakerState::kOpen);
  breaker.Record(CallOutcome::kSuccess, 10ms);
  EXPECT_EQ(breaker.State(), BreakerState::kOpen);
  EXPECT_EQ(BreakerStateName(breaker.State()), "open");
}

TEST(RetryTest, OnlyRetryableErrorsBeforeTheLastAttemptAndNeverAfterStreaming) {
  std::mt19937_64 random(7);
  const RetryOptions options{.max_attempts = 3, .base_delay = 100ms, .max_delay = 1000ms};
  RetryInput input{.attempt = 1, .code = ErrorCode::kUnavailable, .retry_after = {}, .time_left = 10000ms};
  EXPECT_TRUE(NextDelay(options, input, random));
  input.code = ErrorCode::kInvalidArgument;
  EXPECT_FALSE(NextDelay(options, input, random));
  input.code = ErrorCode::kUnauthenticated;
  EXPECT_FALSE(NextDelay(options, input, random));
  input.code = ErrorCode::kResourceExhausted;
  EXPECT_TRUE(NextDelay(options, input, random));
  input.streamed = true;
  EXPECT_FALSE(NextDelay(options, input, random)) << "the first token reached the trainee";
  input.streamed = false;
  input.attempt = 3;
  EXPECT_FALSE(NextDelay(options, input, random));
}

TEST(RetryTest, ExponentialWithJitterCappedAndWithinTheDeadline) {
  std::mt19937_64 random(7);
  const RetryOptions options{.max_attempts = 10, .base_delay = 100ms, .max_delay = 1000ms};
  for (int attempt = 1; attempt <= 6; ++attempt) {
    const auto full = std::min<std::int64_t>(1000, 100LL << (attempt - 1));
    for (int i = 0; i < 200; ++i) {
      const auto delay = NextDelay(
          options, {.attempt = attempt, .code = ErrorCode::kUnavailable, .retry_after = {}, .time_left = 60000ms},
          random);
      ASSERT_TRUE(delay);
      EXPECT_GE(delay->count(), full / 2);
      EXPECT_LE(delay->count(), full);
    }
  }
  EXPECT_FALSE(NextDelay(
      options, {.attempt = 4, .code = ErrorCode::kUnavailable, .retry_after = {}, .time_left = 300ms}, random))
      << "would wait past the deadline";
}

TEST(RetryTest, RetryAfterIsHonouredOrMeansGivingUp) {
  std::mt19937_64 random(7);
  const RetryOptions options{.max_attempts = 3, .base_delay = 100ms, .max_delay = 1000ms};
  RetryInput input{.attempt = 1, .code = ErrorCode::kResourceExhausted, .retry_after = 800ms, .time_left = 5000ms};
  EXPECT_EQ(NextDelay(options, input, random), 800ms);
  input.retry_after = 3000ms;
  EXPECT_FALSE(NextDelay(options, input, random)) << "longer than we wait: the next provider instead";
  input.retry_after = 900ms;
  input.time_left = 900ms;
  EXPECT_FALSE(NextDelay(options, input, random));
}

}  // namespace
}  // namespace salesboost::resilience
