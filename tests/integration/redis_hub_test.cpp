// RedisSessionHub and RedisLiveBuffer against a real redis-server; two
// instances are two sets of clients with different instance ids.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "infra/redis/event_codec.hpp"
#include "infra/redis/redis_live_buffer.hpp"
#include "infra/redis/redis_session_hub.hpp"
#include "support/redis_server.hpp"
#include "support/redis_test_env.hpp"
#include "support/sample_events.hpp"

namespace salesboost::infra {
namespace {

using namespace std::chrono_literals;
using conversation::Event;
using testing::IoThreads;
using testing::RedisServer;

class RecordingSink final : public conversation::EventSink {
 public:
  void Deliver(const std::vector<Event>& events) override {
    std::lock_guard lock(mutex_);
    events_.insert(events_.end(), events.begin(), events.end());
  }
  void Replaced() override { ++replaced_; }
  std::vector<Event> Events() {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::size_t Count() {
    std::lock_guard lock(mutex_);
    return events_.size();
  }
  int ReplacedCount() const { return replaced_; }

 private:
  std::mutex mutex_;
  std::vector<Event> events_;
  std::atomic<int> replaced_{0};
};

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

std::string Text(const Event& event) { return boost::json::serialize(EncodeRedisEvent(event)); }

std::vector<Event> Deltas(std::int64_t first, std::int64_t last) {
  std::vector<Event> events;
  for (auto seq = first; seq <= last; ++seq) {
    events.push_back(Event{
        .seq = seq, .turn_id = "t1", .body = conversation::NpcDelta{.text = std::to_string(seq)}, .created_at = {}});
  }
  return events;
}

class RedisHubTest : public ::testing::Test {
 protected:
  struct Instance {
    std::unique_ptr<RedisClient> client;
    std::unique_ptr<RedisSubscriber> subscriber;
    std::unique_ptr<RedisSessionHub> hub;
    std::unique_ptr<RedisLiveBuffer> buffer;
    void Reset() {  // the adapters before the clients they use
      buffer.reset();
      hub.reset();
      subscriber.reset();
      client.reset();
    }
  };

  void SetUp() override {
    ASSERT_TRUE(server_.Start()) << "redis-server did not start";
    a_ = Make("a");
    b_ = Make("b");
  }
  void TearDown() override {
    a_.Reset();
    b_.Reset();
    io_.Join();
  }

  Instance Make(const std::string& id) {
    Instance instance;
    const auto options = testing::TestRedisOptions(server_.Url(), id);
    instance.client = std::make_unique<RedisClient>(io_.Executor(), options, metrics_, clock_, testing::QuietLogger());
    instance.subscriber =
        std::make_unique<RedisSubscriber>(io_.Executor(), options, metrics_, clock_, testing::QuietLogger());
    instance.hub =
        std::make_unique<RedisSessionHub>(*instance.client, *instance.subscriber, metrics_, testing::QuietLogger());
    instance.buffer = std::make_unique<RedisLiveBuffer>(
        *instance.client, RedisLiveBufferOptions{.max_events = 100, .ttl = 60s}, metrics_, testing::QuietLogger());
    // Wait until both connections are up, so the tests start from a steady state.
    EXPECT_TRUE(WaitFor([&] { return io_.Run(instance.client->Command({"PING"})).has_value(); }));
    EXPECT_TRUE(WaitFor([&] {
      return io_.Run(instance.subscriber->Subscribe("sb:ready", [](const std::string&, const std::string&) {}))
          .has_value();
    }));
    return instance;
  }

  core::Result<void> Attach(Instance& instance, const std::string& session, std::shared_ptr<RecordingSink> sink) {
    return io_.Run(instance.hub->Attach(session, std::move(sink)));
  }
  core::Result<void> Publish(Instance& instance, const std::string& session, std::vector<Event> events) {
    return io_.Run(instance.hub->Publish(session, std::move(events)));
  }
  std::string Metrics() const { return metrics_.WritePrometheus(); }

  RedisServer server_;
  core::MetricsRegistry metrics_;
  core::SystemClock clock_;
  IoThreads io_;
  Instance a_;
  Instance b_;
};

TEST_F(RedisHubTest, EventsPublishedOnOneInstanceReachTheSinkAttachedOnAnother) {
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_TRUE(Attach(b_, "s1", sink));
  ASSERT_TRUE(Publish(a_, "s1", Deltas(1, 3)));
  ASSERT_TRUE(Publish(a_, "s1", Deltas(4, 5)));
  ASSERT_TRUE(WaitFor([&] { return sink->Count() == 5; }));
  const auto events = sink->Events();
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1));
  // Another session's events do not arrive.
  ASSERT_TRUE(Publish(a_, "s2", Deltas(1, 1)));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sink->Count(), 5u);
}

TEST_F(RedisHubTest, ASinkOnTheSameInstanceGetsEachEventOnce) {
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_TRUE(Attach(a_, "s1", sink));
  ASSERT_TRUE(Publish(a_, "s1", Deltas(1, 2)));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(sink->Count(), 2u);
}

TEST_F(RedisHubTest, AttachingOnAnotherInstanceReplacesTheSubscriber) {
  auto first = std::make_shared<RecordingSink>();
  auto second = std::make_shared<RecordingSink>();
  ASSERT_TRUE(Attach(a_, "s1", first));
  ASSERT_TRUE(Attach(b_, "s1", second));
  ASSERT_TRUE(WaitFor([&] { return first->ReplacedCount() == 1; }));
  EXPECT_EQ(second->ReplacedCount(), 0);
  ASSERT_TRUE(Publish(a_, "s1", Deltas(1, 2)));  // from the instance that lost the subscriber
  ASSERT_TRUE(WaitFor([&] { return second->Count() == 2; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(first->Count(), 0u);
  // And back: b's subscriber is replaced by a new one on a.
  auto third = std::make_shared<RecordingSink>();
  ASSERT_TRUE(Attach(a_, "s1", third));
  ASSERT_TRUE(WaitFor([&] { return second->ReplacedCount() == 1; }));
  ASSERT_TRUE(Publish(b_, "s1", Deltas(3, 3)));
  ASSERT_TRUE(WaitFor([&] { return third->Count() == 1; }));
  EXPECT_EQ(second->Count(), 2u);
}

TEST_F(RedisHubTest, ALateReplacementNeverReplacesALaterSubscriber) {
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_TRUE(Attach(a_, "s1", sink));
  ASSERT_TRUE(Attach(a_, "s1", sink));  // the session's second attach
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"GET", "sb:{s1}:attach"}), "2");
  // An announcement of the first attach from another instance, arriving late.
  ASSERT_EQ(testing::RedisCommand(server_.Port(),
                                  {"PUBLISH", "sb:{s1}:events", R"({"from":"x","kind":"replaced","generation":1})"}),
            "1");
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(sink->ReplacedCount(), 0);
  ASSERT_EQ(testing::RedisCommand(server_.Port(),
                                  {"PUBLISH", "sb:{s1}:events", R"({"from":"x","kind":"replaced","generation":3})"}),
            "1");
  ASSERT_TRUE(WaitFor([&] { return sink->ReplacedCount() == 1; }));
}

TEST_F(RedisHubTest, DetachedSinksGetNothing) {
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_TRUE(Attach(b_, "s1", sink));
  ASSERT_TRUE(io_.Run(b_.hub->Detach("s1", sink.get())));
  ASSERT_TRUE(Publish(a_, "s1", Deltas(1, 1)));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(sink->Count(), 0u);
}

TEST_F(RedisHubTest, EveryEventTypeCrossesInstancesExactly) {
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_TRUE(Attach(b_, "s1", sink));
  const auto sent = testing::EveryEvent();
  ASSERT_EQ(sent.size(), std::variant_size_v<conversation::EventBody>);
  ASSERT_TRUE(Publish(a_, "s1", sent));
  ASSERT_TRUE(WaitFor([&] { return sink->Count() == sent.size(); }));
  const auto received = sink->Events();
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(received[i].body.index(), sent[i].body.index());
    EXPECT_EQ(received[i].seq, sent[i].seq);
    EXPECT_EQ(received[i].turn_id, sent[i].turn_id);
    EXPECT_EQ(received[i].created_at, sent[i].created_at);
    EXPECT_EQ(Text(received[i]), Text(sent[i])) << sent[i].Type();
    EXPECT_EQ(conversation::EventText(received[i]), conversation::EventText(sent[i]));
  }
}

TEST_F(RedisHubTest, WithRedisDownTheLocalSinkIsStillServedAndSubscriptionsComeBack) {
  auto sink = std::make_shared<RecordingSink>();
  ASSERT_TRUE(Attach(a_, "s1", sink));
  server_.Stop();
  ASSERT_TRUE(Publish(a_, "s1", Deltas(1, 2)));
  EXPECT_EQ(sink->Count(), 2u);
  auto other = std::make_shared<RecordingSink>();
  ASSERT_TRUE(Attach(a_, "s2", other));  // kept locally
  ASSERT_TRUE(Publish(a_, "s2", Deltas(1, 1)));
  EXPECT_EQ(other->Count(), 1u);
  auto nobody = Publish(a_, "s3", Deltas(1, 1));  // no local sink and no Redis
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(Metrics().find("salesboost_redis_fallbacks_total{port=\"hub_publish\"}"), std::string::npos);

  ASSERT_TRUE(server_.Start());
  // a's subscriber subscribes s1 and s2 again: b's events reach both.
  ASSERT_TRUE(WaitFor(
      [&] {
        (void)Publish(b_, "s2", Deltas(2, 2));
        return other->Count() >= 2;
      },
      5s));
  ASSERT_TRUE(WaitFor(
      [&] {
        (void)Publish(b_, "s1", Deltas(3, 3));
        return sink->Count() >= 3;
      },
      5s));
}

TEST_F(RedisHubTest, LiveBufferAppendsReadsAndClearsAcrossInstances) {
  ASSERT_TRUE(io_.Run(a_.buffer->Append("s1", Deltas(1, 3))));
  ASSERT_TRUE(io_.Run(a_.buffer->Append("s1", Deltas(4, 5))));
  auto read = io_.Run(b_.buffer->Read("s1", 2));
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->size(), 3u);
  EXPECT_EQ((*read)[0].seq, 3);
  EXPECT_EQ((*read)[2].seq, 5);
  EXPECT_EQ(std::get<conversation::NpcDelta>((*read)[1].body).text, "4");
  const auto ttl = testing::RedisCommand(server_.Port(), {"PTTL", "sb:{s1}:live"});
  EXPECT_GT(std::stoll(ttl), 0) << ttl;
  ASSERT_TRUE(io_.Run(a_.buffer->Clear("s1")));
  auto cleared = io_.Run(b_.buffer->Read("s1", 0));
  ASSERT_TRUE(cleared);
  EXPECT_TRUE(cleared->empty());
  EXPECT_EQ(testing::RedisCommand(server_.Port(), {"EXISTS", "sb:{s1}:live"}), "0");
}

TEST_F(RedisHubTest, LiveBufferKeepsEveryEventTypeExactly) {
  const auto sent = testing::EveryEvent(10);
  ASSERT_TRUE(io_.Run(a_.buffer->Append("s1", sent)));
  auto read = io_.Run(b_.buffer->Read("s1", 0));
  ASSERT_TRUE(read);
  ASSERT_EQ(read->size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(Text((*read)[i]), Text(sent[i]));
}

TEST_F(RedisHubTest, LiveBufferStreamIsBounded) {
  for (std::int64_t first = 1; first <= 1000; first += 50) {
    ASSERT_TRUE(io_.Run(a_.buffer->Append("s1", Deltas(first, first + 49))));
  }
  const auto length = std::stoll(testing::RedisCommand(server_.Port(), {"XLEN", "sb:{s1}:live"}));
  EXPECT_GE(length, 100);
  EXPECT_LE(length, 300);  // MAXLEN ~ 100 trims whole stream nodes
  auto read = io_.Run(b_.buffer->Read("s1", 990));
  ASSERT_TRUE(read);
  ASSERT_EQ(read->size(), 10u);
  EXPECT_EQ(read->back().seq, 1000);
}

TEST_F(RedisHubTest, LiveBufferFallsBackToTheLocalCopyWhileRedisIsDown) {
  ASSERT_TRUE(io_.Run(a_.buffer->Append("s1", Deltas(1, 2))));
  server_.Stop();
  ASSERT_TRUE(io_.Run(a_.buffer->Append("s1", Deltas(3, 4))));
  auto read = io_.Run(a_.buffer->Read("s1", 1));
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->size(), 3u);
  EXPECT_EQ(read->front().seq, 2);
  EXPECT_EQ(read->back().seq, 4);
  EXPECT_NE(Metrics().find("salesboost_redis_fallbacks_total{port=\"live_buffer_append\"}"), std::string::npos);
  ASSERT_TRUE(io_.Run(a_.buffer->Clear("s1")));
  auto cleared = io_.Run(a_.buffer->Read("s1", 0));
  ASSERT_TRUE(cleared);
  EXPECT_TRUE(cleared->empty());
}

}  // namespace
}  // namespace salesboost::infra
