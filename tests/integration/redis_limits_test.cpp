// RedisTurnLedger and RedisRateLimiter against a real redis-server; two
// instances are two RedisClients with different instance ids.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "infra/redis/instance_registry.hpp"
#include "infra/redis/redis_rate_limiter.hpp"
#include "infra/redis/redis_turn_ledger.hpp"
#include "support/redis_server.hpp"
#include "support/redis_test_env.hpp"

namespace salesboost::infra {
namespace {

using namespace std::chrono_literals;
using conversation::TurnRecord;
using testing::IoThreads;
using testing::RedisServer;

// The store's answer, set by the test.
class FakeStoreLedger final : public conversation::TurnLedger {
 public:
  boost::asio::awaitable<core::Result<TurnRecord>> Find(std::string, std::string) override {
    std::lock_guard lock(mutex_);
    co_return record_;
  }
  void Set(TurnRecord record) {
    std::lock_guard lock(mutex_);
    record_ = record;
  }

 private:
  std::mutex mutex_;
  TurnRecord record_;
};

class RedisLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start()) << "redis-server did not start";
    a_ = MakeClient("a");
    b_ = MakeClient("b");
  }
  void TearDown() override {
    ledger_a_.reset();
    ledger_b_.reset();
    limiter_a_.reset();
    limiter_b_.reset();
    a_.reset();
    b_.reset();
    io_.Join();
  }
  std::unique_ptr<RedisClient> MakeClient(const std::string& id) {
    return std::make_unique<RedisClient>(io_.Executor(), testing::TestRedisOptions(server_.Url(), id), metrics_, clock_,
                                         testing::QuietLogger());
  }
  void MakeLedgers() {
    ledger_a_ =
        std::make_unique<RedisTurnLedger>(store_, *a_, RedisTurnLedgerOptions{}, metrics_, testing::QuietLogger());
    ledger_b_ =
        std::make_unique<RedisTurnLedger>(store_, *b_, RedisTurnLedgerOptions{}, metrics_, testing::QuietLogger());
  }
  void MakeLimiters(core::RateLimit limit) {
    limiter_a_ = std::make_unique<RedisRateLimiter>(*a_, RedisRateLimiterOptions{.name = "turns", .limit = limit},
                                                    clock_, metrics_, testing::QuietLogger());
    limiter_b_ = std::make_unique<RedisRateLimiter>(*b_, RedisRateLimiterOptions{.name = "turns", .limit = limit},
                                                    clock_, metrics_, testing::QuietLogger());
  }
  TurnRecord::State Find(RedisTurnLedger& ledger, const std::string& turn) {
    auto found = io_.Run(ledger.Find("s1", turn));
    EXPECT_TRUE(found);
    return found ? found->state : TurnRecord::State::kUnknown;
  }
  std::string Metrics() const { return metrics_.WritePrometheus(); }

  RedisServer server_;
  core::MetricsRegistry metrics_;
  core::SystemClock clock_;
  IoThreads io_;
  FakeStoreLedger store_;
  std::unique_ptr<RedisClient> a_;
  std::unique_ptr<RedisClient> b_;
  std::unique_ptr<RedisTurnLedger> ledger_a_;
  std::unique_ptr<RedisTurnLedger> ledger_b_;
  std::unique_ptr<RedisRateLimiter> limiter_a_;
  std::unique_ptr<RedisRateLimiter> limiter_b_;
};

TEST_F(RedisLimitsTest, TheSameTurnSentToTwoInstancesAtOnceRunsOnce) {
  MakeLedgers();
  for (int round = 0; round < 20; ++round) {
    const std::string turn = "t" + std::to_string(round);
    auto on_a = boost::asio::co_spawn(io_.Executor(), ledger_a_->Find("s1", turn), boost::asio::use_future);
    auto on_b = boost::asio::co_spawn(io_.Executor(), ledger_b_->Find("s1", turn), boost::asio::use_future);
    const auto a = on_a.get();
    const auto b = on_b.get();
    ASSERT_TRUE(a && b);
    const int runs = (a->state == TurnRecord::State::kUnknown) + (b->state == TurnRecord::State::kUnknown);
    const int running = (a->state == TurnRecord::State::kRunning) + (b->state == TurnRecord::State::kRunning);
    EXPECT_EQ(runs, 1) << turn;
    EXPECT_EQ(running, 1) << turn;
  }
  const auto ttl = std::stoll(testing::RedisCommand(server_.Port(), {"TTL", "sb:{s1}:turn:t0"}));
  EXPECT_GT(ttl, 100);
  EXPECT_LE(ttl, 120);
}

TEST_F(RedisLimitsTest, AClaimOfAGoneInstanceIsTakenOverAtOnce) {
  // b claims a turn, then dies (its connections close; the claim would last 120 s).
  InstanceRegistry registry_a(*a_, InstanceRegistryOptions{.address = "a"}, clock_, testing::QuietLogger());
  InstanceRegistry registry_b(*b_, InstanceRegistryOptions{.address = "b"}, clock_, testing::QuietLogger());
  ASSERT_TRUE(io_.Run(registry_b.Beat()));
  ledger_a_ = std::make_unique<RedisTurnLedger>(store_, *a_, RedisTurnLedgerOptions{}, metrics_, testing::QuietLogger(),
                                                &registry_a);
  ledger_b_ = std::make_unique<RedisTurnLedger>(store_, *b_, RedisTurnLedgerOptions{}, metrics_, testing::QuietLogger(),
                                                &registry_b);
  EXPECT_EQ(Find(*ledger_b_, "t1"), TurnRecord::State::kUnknown);
  EXPECT_EQ(Find(*ledger_a_, "t1"), TurnRecord::State::kRunning) << "b is alive: its claim holds";
  ledger_b_.reset();
  b_.reset();
  EXPECT_EQ(Find(*ledger_a_, "t1"), TurnRecord::State::kUnknown) << "b is gone: a runs the turn";
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"GET", "sb:{s1}:turn:t1"}), "a|u");
  ledger_a_.reset();
}

TEST_F(RedisLimitsTest, ACommittedTurnIsTheStoresAnswerEverywhere) {
  MakeLedgers();
  EXPECT_EQ(Find(*ledger_a_, "t1"), TurnRecord::State::kUnknown);  // a claims and runs it
  store_.Set({.state = TurnRecord::State::kCommitted, .first_seq = 3, .last_seq = 9});
  auto found = io_.Run(ledger_b_->Find("s1", "t1"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->state, TurnRecord::State::kCommitted);
  EXPECT_EQ(found->last_seq, 9);
  EXPECT_EQ(Find(*ledger_a_, "t1"), TurnRecord::State::kCommitted);
}

TEST_F(RedisLimitsTest, AResendAfterAnAbortRunsAgainOnce) {
  MakeLedgers();
  EXPECT_EQ(Find(*ledger_a_, "t1"), TurnRecord::State::kUnknown);
  EXPECT_EQ(Find(*ledger_b_, "t1"), TurnRecord::State::kRunning);
  store_.Set({.state = TurnRecord::State::kAborted, .first_seq = 3, .last_seq = 5});
  EXPECT_EQ(Find(*ledger_b_, "t1"), TurnRecord::State::kAborted);  // b claims the new attempt
  EXPECT_EQ(Find(*ledger_a_, "t1"), TurnRecord::State::kRunning);
  store_.Set({.state = TurnRecord::State::kAborted, .first_seq = 6, .last_seq = 8});  // aborted again
  EXPECT_EQ(Find(*ledger_a_, "t1"), TurnRecord::State::kAborted);
}

TEST_F(RedisLimitsTest, WithRedisDownTheLedgerIsTheStoresAnswer) {
  MakeLedgers();
  server_.Stop();
  EXPECT_EQ(Find(*ledger_a_, "t1"), TurnRecord::State::kUnknown);
  EXPECT_EQ(Find(*ledger_b_, "t1"), TurnRecord::State::kUnknown);
  EXPECT_NE(Metrics().find("salesboost_redis_fallbacks_total{port=\"turn_ledger\"} 2"), std::string::npos);
}

TEST_F(RedisLimitsTest, TheRateLimitHoldsAcrossInstances) {
  MakeLimiters({.per_minute = 6, .burst = 3});  // one token per 10 s: none comes back during the test
  std::vector<std::future<core::Result<core::RateDecision>>> decisions;
  for (int i = 0; i < 6; ++i) {
    auto& limiter = i % 2 == 0 ? limiter_a_ : limiter_b_;
    decisions.push_back(boost::asio::co_spawn(io_.Executor(), limiter->Acquire("user-1"), boost::asio::use_future));
  }
  int allowed = 0;
  for (auto& future : decisions) {
    auto decision = future.get();
    ASSERT_TRUE(decision);
    if (decision->allowed) {
      ++allowed;
    } else {
      EXPECT_GT(decision->retry_after, 9000ms);
      EXPECT_LE(decision->retry_after, 10000ms);
    }
  }
  EXPECT_EQ(allowed, 3);
  auto other = io_.Run(limiter_b_->Acquire("user-2"));  // another key has its own bucket
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->allowed);
  const auto ttl = std::stoll(testing::RedisCommand(server_.Port(), {"PTTL", "sb:rl:turns:{user-1}"}));
  EXPECT_GT(ttl, 0);
}

TEST_F(RedisLimitsTest, RetryAfterIsWhenATokenIsBack) {
  MakeLimiters({.per_minute = 600, .burst = 1});  // one token per 100 ms
  auto first = io_.Run(limiter_a_->Acquire("u"));
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->allowed);
  auto refused = io_.Run(limiter_b_->Acquire("u"));
  ASSERT_TRUE(refused);
  ASSERT_FALSE(refused->allowed);
  EXPECT_GT(refused->retry_after, 50ms);
  EXPECT_LE(refused->retry_after, 100ms);
  std::this_thread::sleep_for(refused->retry_after + 10ms);
  auto again = io_.Run(limiter_b_->Acquire("u"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->allowed);
}

TEST_F(RedisLimitsTest, WithRedisDownAnInProcessLimiterDecides) {
  MakeLimiters({.per_minute = 6, .burst = 2});
  server_.Stop();
  auto first = io_.Run(limiter_a_->Acquire("u"));
  auto second = io_.Run(limiter_a_->Acquire("u"));
  auto third = io_.Run(limiter_a_->Acquire("u"));
  ASSERT_TRUE(first && second && third);
  EXPECT_TRUE(first->allowed);
  EXPECT_TRUE(second->allowed);
  EXPECT_FALSE(third->allowed);
  EXPECT_GT(third->retry_after, 0ms);
  EXPECT_NE(Metrics().find("salesboost_redis_fallbacks_total{port=\"rate_limiter\"} 3"), std::string::npos);
}

}  // namespace
}  // namespace salesboost::infra
