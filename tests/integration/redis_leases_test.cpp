// RedisSessionLeases and InstanceRegistry against a real redis-server: two
// instances are two RedisClients with different instance ids.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "infra/redis/instance_registry.hpp"
#include "infra/redis/redis_live_buffer.hpp"
#include "infra/redis/redis_session_hub.hpp"
#include "infra/redis/redis_session_leases.hpp"
#include "support/redis_server.hpp"
#include "support/redis_test_env.hpp"

namespace salesboost::infra {
namespace {

using namespace std::chrono_literals;
using conversation::Lease;
using testing::IoThreads;
using testing::RedisServer;

class RedisLeasesTest : public ::testing::Test {
 protected:
  struct Instance {
    std::unique_ptr<RedisClient> client;
    std::unique_ptr<InstanceRegistry> registry;
    std::unique_ptr<RedisSessionLeases> leases;
    void Reset() {  // the adapters before the client they use
      leases.reset();
      registry.reset();
      client.reset();
    }
  };

  void SetUp() override { ASSERT_TRUE(server_.Start()) << "redis-server did not start"; }
  void TearDown() override {
    a_.Reset();
    b_.Reset();
    io_.Join();
  }

  Instance Make(const std::string& id, std::chrono::milliseconds ttl = 10s) {
    Instance instance;
    instance.client = std::make_unique<RedisClient>(io_.Executor(), testing::TestRedisOptions(server_.Url(), id),
                                                    metrics_, clock_, testing::QuietLogger());
    instance.registry = std::make_unique<InstanceRegistry>(*instance.client, InstanceRegistryOptions{.address = id},
                                                           clock_, testing::QuietLogger());
    EXPECT_TRUE(io_.Run(instance.registry->Beat()));
    instance.leases = std::make_unique<RedisSessionLeases>(
        *instance.client, *instance.registry, RedisSessionLeasesOptions{.ttl = ttl}, metrics_, testing::QuietLogger());
    return instance;
  }

  core::Result<Lease> Acquire(Instance& instance, std::string session, std::chrono::milliseconds wait = 0ms) {
    return io_.Run(instance.leases->Acquire(std::move(session), wait));
  }

  std::string Metrics() const { return metrics_.WritePrometheus(); }

  RedisServer server_;
  core::MetricsRegistry metrics_;
  core::SystemClock clock_;
  IoThreads io_;
  Instance a_;
  Instance b_;
};

TEST_F(RedisLeasesTest, ALeaseIsExclusive) {
  a_ = Make("a");
  b_ = Make("b");
  auto first = Acquire(a_, "s1");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->epoch, 1);
  EXPECT_FALSE(first->continued);
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"GET", "sb:{s1}:lease"}), "a:1");
  auto second = Acquire(b_, "s1");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_NE(second.error().message.find("another instance"), std::string::npos);
  EXPECT_TRUE(Acquire(b_, "s2"));  // another session is free
  EXPECT_NE(Metrics().find("salesboost_session_leases_held 2"), std::string::npos);
}

TEST_F(RedisLeasesTest, AWaiterIsGrantedTheLeaseOnceReleased) {
  a_ = Make("a");
  b_ = Make("b");
  auto held = Acquire(a_, "s1");
  ASSERT_TRUE(held);
  const auto started = std::chrono::steady_clock::now();
  auto waiter = boost::asio::co_spawn(io_.Executor(), b_.leases->Acquire("s1", 3000ms), boost::asio::use_future);
  std::this_thread::sleep_for(150ms);
  ASSERT_TRUE(io_.Run(a_.leases->Release("s1", *held)));
  auto granted = waiter.get();
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(granted) << granted.error().message;
  EXPECT_EQ(granted->epoch, 2);
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 800ms);  // polled every 200 ms at most
}

TEST_F(RedisLeasesTest, AWaitThatRunsOutIsResourceExhausted) {
  a_ = Make("a");
  b_ = Make("b");
  ASSERT_TRUE(Acquire(a_, "s1"));
  const auto started = std::chrono::steady_clock::now();
  auto refused = Acquire(b_, "s1", 300ms);
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_GE(waited, 300ms);
  EXPECT_LT(waited, 700ms);
}

TEST_F(RedisLeasesTest, RenewalKeepsTheLeaseAndExpiryEndsIt) {
  a_ = Make("a", 300ms);
  b_ = Make("b", 300ms);
  EXPECT_EQ(a_.leases->RenewInterval(), 100ms);
  auto held = Acquire(a_, "s1");
  ASSERT_TRUE(held);
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(100ms);
    auto renewed = io_.Run(a_.leases->Renew("s1", *held));
    ASSERT_TRUE(renewed);
    EXPECT_TRUE(*renewed);
  }
  EXPECT_FALSE(Acquire(b_, "s1"));  // 600 ms after the grant: renewed, still a's
  std::this_thread::sleep_for(400ms);
  auto taken = Acquire(b_, "s1");  // expired
  ASSERT_TRUE(taken);
  auto lost = io_.Run(a_.leases->Renew("s1", *held));
  ASSERT_TRUE(lost);
  EXPECT_FALSE(*lost);
  ASSERT_TRUE(io_.Run(a_.leases->Release("s1", *held)));  // not a's any more: left alone
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"GET", "sb:{s1}:lease"}), "b:2");
}

TEST_F(RedisLeasesTest, ADeadHoldersLeaseIsTakenOverAtOnce) {
  a_ = Make("a");
  b_ = Make("b", 60s);
  ASSERT_TRUE(Acquire(b_, "s1"));
  // b dies: its connections close (its heartbeat key stays until it expires).
  b_.Reset();
  const auto started = std::chrono::steady_clock::now();
  auto taken = Acquire(a_, "s1", 2000ms);
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->epoch, 2);
  EXPECT_FALSE(taken->continued);
  EXPECT_LT(waited, 500ms);
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"EXISTS", "sb:instance:b"}), "1");
  EXPECT_NE(Metrics().find("salesboost_session_takeovers_total 1"), std::string::npos);
}

TEST_F(RedisLeasesTest, AHolderWithoutAHeartbeatIsGone) {
  a_ = Make("a");
  b_ = Make("b", 60s);
  ASSERT_TRUE(Acquire(b_, "s1"));
  ASSERT_TRUE(io_.Run(b_.registry->Stop()));  // connected, but no heartbeat
  auto taken = Acquire(a_, "s1");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->epoch, 2);
}

TEST_F(RedisLeasesTest, AnOwnerThatLostItsLeaseCanNeitherBufferNorPublish) {
  a_ = Make("a");
  b_ = Make("b", 60s);
  auto subscriber = std::make_unique<RedisSubscriber>(io_.Executor(), testing::TestRedisOptions(server_.Url(), "b"),
                                                      metrics_, clock_, testing::QuietLogger());
  auto hub =
      std::make_unique<RedisSessionHub>(*b_.client, *subscriber, metrics_, testing::QuietLogger(), b_.leases.get());
  auto buffer = std::make_unique<RedisLiveBuffer>(*b_.client, RedisLiveBufferOptions{}, metrics_,
                                                  testing::QuietLogger(), b_.leases.get());
  auto event = [](std::int64_t seq) {
    std::vector<conversation::Event> events;
    events.push_back(conversation::Event{
        .seq = seq, .turn_id = "t1", .body = conversation::NpcDelta{.text = "x"}, .created_at = {}});
    return events;
  };
  ASSERT_TRUE(Acquire(b_, "s1"));
  ASSERT_TRUE(io_.Run(buffer->Append("s1", event(2))));
  ASSERT_TRUE(io_.Run(hub->Publish("s1", event(2))));
  // b pauses past its heartbeat: a takes the session over.
  ASSERT_TRUE(io_.Run(b_.registry->Stop()));
  ASSERT_TRUE(Acquire(a_, "s1"));
  // b wakes up and goes on with its turn: Redis refuses both writes.
  auto buffered = io_.Run(buffer->Append("s1", event(3)));
  ASSERT_FALSE(buffered);
  EXPECT_EQ(buffered.error().code, core::ErrorCode::kAborted);
  auto published = io_.Run(hub->Publish("s1", event(3)));
  ASSERT_FALSE(published);
  EXPECT_EQ(published.error().code, core::ErrorCode::kAborted);
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"XLEN", "sb:{s1}:live"}), "1") << "the stale event was not added";
  buffer.reset();
  hub.reset();
  subscriber.reset();
}

TEST_F(RedisLeasesTest, ContinuedWhenNoOtherInstanceHeldItSince) {
  a_ = Make("a");
  b_ = Make("b");
  auto first = Acquire(a_, "s1");
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->continued);
  ASSERT_TRUE(io_.Run(a_.leases->Release("s1", *first)));
  auto again = Acquire(a_, "s1");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->continued);
  EXPECT_GT(again->epoch, first->epoch);
  ASSERT_TRUE(io_.Run(a_.leases->Release("s1", *again)));
  auto other = Acquire(b_, "s1");
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->continued);
  ASSERT_TRUE(io_.Run(b_.leases->Release("s1", *other)));
  auto back = Acquire(a_, "s1");
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->continued);  // b held it in between
  EXPECT_EQ(back->epoch, 4);      // the fencing epoch grows with every grant
}

TEST_F(RedisLeasesTest, RegistryListsLiveInstancesAndTellsAliveFromGone) {
  a_ = Make("a");
  b_ = Make("b");
  a_.registry->Start(io_.Executor());
  auto instances = io_.Run(a_.registry->Instances());
  ASSERT_TRUE(instances);
  EXPECT_EQ(instances->size(), 2u);
  auto alive = io_.Run(a_.registry->Alive("b"));
  ASSERT_TRUE(alive);
  EXPECT_TRUE(*alive);
  auto unknown = io_.Run(a_.registry->Alive("c"));
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(*unknown);
  const auto heartbeat = testing::RedisCommand(server_.Port(), {"GET", "sb:instance:a"});
  EXPECT_NE(heartbeat.find("\"address\":\"a\""), std::string::npos) << heartbeat;
  b_.Reset();
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) {
    auto b_alive = io_.Run(a_.registry->Alive("b"));
    gone = b_alive && !*b_alive;
    if (!gone) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(gone);
  ASSERT_TRUE(io_.Run(a_.registry->Stop()));
}

TEST_F(RedisLeasesTest, TheHeartbeatIsRenewedUntilStopped) {
  a_.client = std::make_unique<RedisClient>(io_.Executor(), testing::TestRedisOptions(server_.Url(), "a"), metrics_,
                                            clock_, testing::QuietLogger());
  a_.registry = std::make_unique<InstanceRegistry>(
      *a_.client, InstanceRegistryOptions{.address = "10.0.0.1:8080", .ttl = 300ms}, clock_, testing::QuietLogger());
  a_.registry->Start(io_.Executor());
  std::this_thread::sleep_for(900ms);  // three times the key's lifetime
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"EXISTS", "sb:instance:a"}), "1");
  const auto ttl = std::stoll(testing::RedisCommand(server_.Port(), {"PTTL", "sb:instance:a"}));
  EXPECT_GT(ttl, 0);
  EXPECT_LE(ttl, 300);
  ASSERT_TRUE(io_.Run(a_.registry->Stop()));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"EXISTS", "sb:instance:a"}), "0");
}

TEST_F(RedisLeasesTest, UnreachableRedisIsUnavailable) {
  a_ = Make("a");
  server_.Stop();
  auto refused = Acquire(a_, "s1", 100ms);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace salesboost::infra
