// RedisClient with Redis Sentinel: a primary, a replica and three sentinels,
// all started by the test; the client follows a failover to the new primary.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "infra/redis/redis_client.hpp"
#include "support/redis_server.hpp"
#include "support/redis_test_env.hpp"

namespace salesboost::infra {
namespace {

using namespace std::chrono_literals;
using testing::IoThreads;
using testing::RedisSentinel;
using testing::RedisServer;

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return condition();
}

class RedisSentinelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(primary_.Start()) << "redis-server (primary) did not start";
    replica_ = std::make_unique<RedisServer>(primary_.Port());
    ASSERT_TRUE(replica_->Start()) << "redis-server (replica) did not start";
    for (int i = 0; i < 3; ++i) {
      sentinels_.push_back(std::make_unique<RedisSentinel>(primary_.Port()));
      ASSERT_TRUE(sentinels_.back()->Start()) << "redis-sentinel did not start";
    }
    // The replica is in sync and every sentinel knows it (and the other sentinels).
    ASSERT_TRUE(WaitFor(
        [&] {
          return testing::RedisCommand(replica_->Port(), {"INFO", "replication"}).find("master_link_status:up") !=
                 std::string::npos;
        },
        10s));
    for (auto& sentinel : sentinels_) {
      ASSERT_TRUE(WaitFor(
          [&] {
            const auto replicas = testing::RedisCommand(sentinel->Port(), {"SENTINEL", "REPLICAS", "salesboost"});
            const auto peers = testing::RedisCommand(sentinel->Port(), {"SENTINEL", "SENTINELS", "salesboost"});
            return replicas.find(std::to_string(replica_->Port())) != std::string::npos &&
                   std::count(peers.begin(), peers.end(), '\n') > 0 && peers.find("127.0.0.1") != std::string::npos;
          },
          15s))
          << "sentinel never saw the replica and its peers";
    }
    RedisOptions options = testing::TestRedisOptions("redis://unused:1/0", "a");
    for (auto& sentinel : sentinels_) options.sentinels.push_back(sentinel->Address());
    options.master_name = "salesboost";
    options.command_timeout = 500ms;
    options.breaker.minimum_calls = 1000;  // the test retries through the failover
    client_ = std::make_unique<RedisClient>(io_.Executor(), options, metrics_, clock_, testing::QuietLogger());
  }
  void TearDown() override {
    client_.reset();
    io_.Join();
  }

  // Sets `key` until a write succeeds (the failover may take a few seconds).
  bool WriteEventually(const std::string& key, std::chrono::milliseconds limit) {
    return WaitFor([&] { return io_.Run(client_->Command({"SET", key, "1"})).has_value(); }, limit);
  }

  RedisServer primary_;
  std::unique_ptr<RedisServer> replica_;
  std::vector<std::unique_ptr<RedisSentinel>> sentinels_;
  core::MetricsRegistry metrics_;
  core::SystemClock clock_;
  IoThreads io_;
  std::unique_ptr<RedisClient> client_;
};

TEST_F(RedisSentinelTest, AsksTheSentinelsForThePrimary) {
  ASSERT_TRUE(WriteEventually("k", 3s));
  EXPECT_EQ(client_->PrimaryAddress(), primary_.Address());
  EXPECT_EQ(testing::RedisCommand(primary_.Port(), {"GET", "k"}), "1");
}

TEST_F(RedisSentinelTest, FollowsAForcedFailoverToTheNewPrimary) {
  ASSERT_TRUE(WriteEventually("before", 3s));
  ASSERT_EQ(testing::RedisCommand(sentinels_[0]->Port(), {"SENTINEL", "FAILOVER", "salesboost"}), "OK");
  ASSERT_TRUE(WaitFor(
      [&] {
        return testing::RedisCommand(replica_->Port(), {"ROLE"}).starts_with("master") &&
               io_.Run(client_->Command({"SET", "after", "1"})).has_value() &&
               client_->PrimaryAddress() == replica_->Address();
      },
      5s))  // announced by the sentinels: no wait for the old primary's demotion
      << "client at " << client_->PrimaryAddress();
  EXPECT_EQ(testing::RedisCommand(replica_->Port(), {"GET", "after"}), "1");
  EXPECT_NE(metrics_.WritePrometheus().find("salesboost_redis_failovers_total 1"), std::string::npos);
}

TEST_F(RedisSentinelTest, FollowsTheFailoverAfterThePrimaryDies) {
  ASSERT_TRUE(WriteEventually("before", 3s));
  primary_.Stop();
  ASSERT_TRUE(WaitFor(
      [&] {
        return io_.Run(client_->Command({"SET", "after", "1"})).has_value() &&
               client_->PrimaryAddress() == replica_->Address();
      },
      40s))
      << "client at " << client_->PrimaryAddress();
  EXPECT_EQ(testing::RedisCommand(replica_->Port(), {"GET", "after"}), "1");
}

}  // namespace
}  // namespace salesboost::infra
