#include "core/in_process_rate_limiter.hpp"
#include "core/manual_clock.hpp"

#include <gtest/gtest.h>

namespace salesboost::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class RateLimiterTest : public ::testing::Test {
 protected:
  ManualClock clock_{std::chrono::system_clock::time_point(seconds(1'800'000'000))};
};

TEST_F(RateLimiterTest, BurstThenTheSustainedRate) {
  InProcessRateLimiter limiter({.per_minute = 10, .burst = 3}, clock_);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("alice").allowed) << i;
  const auto refused = limiter.Take("alice");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(6000)) << "10 per minute: one token every 6 s";
  clock_.Advance(seconds(5));
  EXPECT_FALSE(limiter.Take("alice").allowed);
  clock_.Advance(seconds(1));
  EXPECT_TRUE(limiter.Take("alice").allowed);
  EXPECT_FALSE(limiter.Take("alice").allowed);
}

TEST_F(RateLimiterTest, KeysHaveTheirOwnBuckets) {
  InProcessRateLimiter limiter({.per_minute = 1, .burst = 1}, clock_);
  EXPECT_TRUE(limiter.Take("10.0.0.1").allowed);
  EXPECT_FALSE(limiter.Take("10.0.0.1").allowed);
  EXPECT_TRUE(limiter.Take("10.0.0.2").allowed);
}

TEST_F(RateLimiterTest, QuietPeriodsRefillOnlyUpToTheBurst) {
  InProcessRateLimiter limiter({.per_minute = 60, .burst = 2}, clock_);
  EXPECT_TRUE(limiter.Take("k").allowed);
  EXPECT_TRUE(limiter.Take("k").allowed);
  clock_.Advance(seconds(3600));
  EXPECT_TRUE(limiter.Take("k").allowed);
  EXPECT_TRUE(limiter.Take("k").allowed);
  EXPECT_FALSE(limiter.Take("k").allowed) << "an hour of quiet is still only a burst of 2";
}

TEST_F(RateLimiterTest, RefilledBucketsArePrunedWhenTheMapIsFull) {
  InProcessRateLimiter limiter({.per_minute = 60, .burst = 1}, clock_, /*max_keys=*/2);
  EXPECT_TRUE(limiter.Take("a").allowed);
  EXPECT_TRUE(limiter.Take("b").allowed);
  clock_.Advance(seconds(2));  // both refilled
  EXPECT_TRUE(limiter.Take("c").allowed);
  EXPECT_EQ(limiter.Keys(), 1u);
}

}  // namespace
}  // namespace salesboost::core
