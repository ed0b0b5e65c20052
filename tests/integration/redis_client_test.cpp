// RedisClient and RedisSubscriber against a real redis-server.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include "infra/redis/redis_client.hpp"
#include "support/redis_server.hpp"
#include "support/redis_test_env.hpp"

namespace salesboost::infra {
namespace {

using namespace std::chrono_literals;
using testing::IoThreads;
using testing::RedisServer;

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()) << "redis-server did not start"; }

  std::unique_ptr<RedisClient> MakeClient(std::string instance, RedisOptions options = {}) {
    if (options.instance_id.empty()) options = testing::TestRedisOptions(server_.Url(), std::move(instance));
    return std::make_unique<RedisClient>(io_.Executor(), options, metrics_, clock_, testing::QuietLogger());
  }
  core::Result<RedisValue> Run(RedisClient& client, std::vector<std::string> args) {
    return io_.Run(client.Command(std::move(args)));
  }

  RedisServer server_;
  core::MetricsRegistry metrics_;
  core::SystemClock clock_;
  IoThreads io_;  // declared last: joined before the server stops
};

TEST_F(RedisClientTest, CommandsRoundTripAsValues) {
  auto client = MakeClient("a");
  auto set = Run(*client, {"SET", "sb:test", std::string("va\0lue", 6)});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->text, "OK");
  auto get = Run(*client, {"GET", "sb:test"});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->text, std::string("va\0lue", 6));
  auto nil = Run(*client, {"GET", "sb:missing"});
  ASSERT_TRUE(nil);
  EXPECT_TRUE(nil->IsNil());
  auto incr = Run(*client, {"INCRBY", "sb:n", "41"});
  ASSERT_TRUE(incr);
  EXPECT_EQ(incr->integer, 41);
  ASSERT_TRUE(Run(*client, {"RPUSH", "sb:list", "x", "y"}));
  auto range = Run(*client, {"LRANGE", "sb:list", "0", "-1"});
  ASSERT_TRUE(range);
  ASSERT_TRUE(range->IsArray());
  ASSERT_EQ(range->elements.size(), 2u);
  EXPECT_EQ(range->elements[1].text, "y");
  auto wrong = Run(*client, {"INCR", "sb:list"});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, core::ErrorCode::kInternal);
  EXPECT_NE(wrong.error().message.find("WRONGTYPE"), std::string::npos);
  const auto metrics = metrics_.WritePrometheus();
  EXPECT_NE(metrics.find("salesboost_redis_command_duration_seconds_count 7"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("salesboost_redis_errors_total{kind=\"reply\"} 1"), std::string::npos) << metrics;
}

TEST_F(RedisClientTest, ManyConcurrentCommandsAllAnswered) {
  auto client = MakeClient("a");
  auto work = [&]() -> boost::asio::awaitable<int> {
    int ok = 0;
    for (int i = 0; i < 200; ++i) {
      std::vector<std::string> command{"INCR", "sb:counter"};
      auto reply = co_await client->Command(std::move(command));
      if (reply) ++ok;
    }
    co_return ok;
  };
  auto first = boost::asio::co_spawn(io_.Executor(), work(), boost::asio::use_future);
  auto second = boost::asio::co_spawn(io_.Executor(), work(), boost::asio::use_future);
  EXPECT_EQ(first.get() + second.get(), 400);
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"GET", "sb:counter"}), "400");
}

TEST_F(RedisClientTest, EveryConnectionIsNamedAfterTheInstance) {
  auto client = MakeClient("instance-7");
  ASSERT_TRUE(Run(*client, {"PING"}));
  ASSERT_TRUE(Run(*client, {"PING"}));
  const auto list = testing::RedisCommand(server_.Port(), {"CLIENT", "LIST"});
  std::size_t named = 0;
  for (std::size_t at = list.find("name=salesboost:instance-7 "); at != std::string::npos;
       at = list.find("name=salesboost:instance-7 ", at + 1)) {
    ++named;
  }
  EXPECT_EQ(named, 2u) << list;
}

TEST_F(RedisClientTest, ScriptsRunBySha1AndAreSentWholeWhenUnknown) {
  auto client = MakeClient("a");
  const RedisScript script("return {KEYS[1], ARGV[1], 7}");
  ASSERT_EQ(testing::RedisCommand(server_.Port(), {"SCRIPT", "FLUSH"}), "OK");
  auto first = io_.Run(client->Eval(script, {"k"}, {"v"}));
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->elements.size(), 3u);
  EXPECT_EQ(first->elements[0].text, "k");
  EXPECT_EQ(first->elements[2].integer, 7);
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"SCRIPT", "EXISTS", script.Sha1()}), "1");
  auto second = io_.Run(client->Eval(script, {"k2"}, {"v2"}));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->elements[1].text, "v2");
}

TEST_F(RedisClientTest, PausedServerTimesOutThenTheBreakerRefusesFastThenRecovers) {
  auto client = MakeClient("a");
  ASSERT_TRUE(Run(*client, {"PING"}));
  server_.Pause();
  const auto started = std::chrono::steady_clock::now();
  auto timed_out = Run(*client, {"PING"});
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(timed_out);
  EXPECT_EQ(timed_out.error().code, core::ErrorCode::kUnavailable);
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 800ms);
  // The breaker needs minimum_calls (5) failures to open.
  for (int i = 0; i < 10 && client->BreakerState() != resilience::BreakerState::kOpen; ++i) {
    EXPECT_FALSE(Run(*client, {"PING"}));
  }
  EXPECT_EQ(client->BreakerState(), resilience::BreakerState::kOpen);
  const auto fast_start = std::chrono::steady_clock::now();
  auto refused = Run(*client, {"PING"});
  EXPECT_LT(std::chrono::steady_clock::now() - fast_start, 50ms);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(metrics_.WritePrometheus().find("salesboost_redis_breaker_state 1"), std::string::npos);

  server_.Resume();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  bool recovered = false;
  while (!recovered && std::chrono::steady_clock::now() < deadline) {
    recovered = Run(*client, {"PING"}).has_value();
    if (!recovered) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(recovered);
  EXPECT_EQ(client->BreakerState(), resilience::BreakerState::kClosed);
}

TEST_F(RedisClientTest, ReconnectsAfterTheServerRestarts) {
  auto client = MakeClient("a");
  ASSERT_TRUE(Run(*client, {"SET", "k", "1"}));
  server_.Stop();
  auto down = Run(*client, {"GET", "k"});
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, core::ErrorCode::kUnavailable);
  ASSERT_TRUE(server_.Start());
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  core::Result<RedisValue> reply = core::Fail(core::ErrorCode::kUnavailable, "not yet");
  while (!reply && std::chrono::steady_clock::now() < deadline) {
    reply = Run(*client, {"SET", "k", "2"});
    if (!reply) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(reply);
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"GET", "k"}), "2");
  EXPECT_NE(metrics_.WritePrometheus().find("salesboost_redis_reconnects_total"), std::string::npos);
}

TEST_F(RedisClientTest, UnreachableServerFailsFastWithUnavailable) {
  server_.Stop();
  auto client = MakeClient("a");
  const auto started = std::chrono::steady_clock::now();
  auto reply = Run(*client, {"PING"});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, core::ErrorCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 400ms);
}

TEST(RedisClientAuth, AuthenticatesWithThePasswordAndSelectsTheDatabase) {
  RedisServer server(0, {"--requirepass", "s3cret"});
  ASSERT_TRUE(server.Start()) << "redis-server did not start";
  core::MetricsRegistry metrics;
  core::SystemClock clock;
  IoThreads io;
  auto options = testing::TestRedisOptions("redis://127.0.0.1:" + std::to_string(server.Port()) + "/3", "a");
  options.password = "s3cret";
  {
    RedisClient client(io.Executor(), options, metrics, clock, testing::QuietLogger());
    auto set = io.Run(client.Command({"SET", "in-db-3", "yes"}));
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(testing::RedisCommand(server.Port(), {"EXISTS", "in-db-3"}, "s3cret"), "0");  // db 0
  }
  {
    options.password = "wrong";
    RedisClient refused(io.Executor(), options, metrics, clock, testing::QuietLogger());
    auto reply = io.Run(refused.Command({"PING"}));
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, core::ErrorCode::kUnavailable);
  }
  io.Join();
  EXPECT_NE(metrics.WritePrometheus().find("salesboost_redis_errors_total{kind=\"handshake\"}"), std::string::npos);
}

struct Inbox {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> messages;
  std::size_t Size() {
    std::lock_guard lock(mutex);
    return messages.size();
  }
};

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

TEST_F(RedisClientTest, SubscriberDeliversAndResubscribesAfterARestart) {
  auto client = MakeClient("a");
  RedisSubscriber subscriber(io_.Executor(), testing::TestRedisOptions(server_.Url(), "a"), metrics_, clock_,
                             testing::QuietLogger());
  auto inbox = std::make_shared<Inbox>();
  RedisSubscriber::MessageHandler handler = [inbox](const std::string& channel, const std::string& payload) {
    std::lock_guard lock(inbox->mutex);
    inbox->messages.emplace_back(channel, payload);
  };
  ASSERT_TRUE(WaitFor([&] { return io_.Run(subscriber.Subscribe("sb:{s1}:events", handler)).has_value(); }));
  ASSERT_TRUE(Run(*client, {"PUBLISH", "sb:{s1}:events", "hello"}));
  ASSERT_TRUE(WaitFor([&] { return inbox->Size() == 1; }));
  EXPECT_EQ(inbox->messages[0].second, "hello");

  // Unsubscribe and subscribe again at once (hiredis forgets the callback on the late unsubscribe reply).
  ASSERT_TRUE(io_.Run(subscriber.Unsubscribe("sb:{s1}:events")));
  ASSERT_TRUE(io_.Run(subscriber.Subscribe("sb:{s1}:events", handler)));
  ASSERT_TRUE(Run(*client, {"PUBLISH", "sb:{s1}:events", "again"}));
  ASSERT_TRUE(WaitFor([&] { return inbox->Size() == 2; }));

  server_.Stop();
  ASSERT_TRUE(server_.Start());
  ASSERT_TRUE(WaitFor(
      [&] {
        auto receivers = Run(*client, {"PUBLISH", "sb:{s1}:events", "back"});
        return receivers && receivers->integer == 1;
      },
      5s));
  ASSERT_TRUE(WaitFor([&] { return inbox->Size() >= 3; }));
  EXPECT_EQ(inbox->messages.back().second, "back");
}

}  // namespace
}  // namespace salesboost::infra
