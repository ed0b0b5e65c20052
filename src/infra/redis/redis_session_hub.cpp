#include "infra/redis/redis_session_hub.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <limits>
#include <mutex>
#include <unordered_map>

#include "infra/redis/event_codec.hpp"

namespace salesboost::infra {

namespace asio = boost::asio;
namespace json = boost::json;
using conversation::Event;
using conversation::EventSink;
using core::Result;

struct RedisSessionHub::Local {
  Local(std::string id, core::Logger log, RedisSubscriber* sub)
      : instance_id(std::move(id)), logger(std::move(log)), subscriber(sub) {}
  std::string instance_id;
  core::Logger logger;
  RedisSubscriber* subscriber = nullptr;  // null once the hub is gone
  std::mutex mutex;
  struct Slot {
    std::weak_ptr<EventSink> sink;
    // The session's attach count when this subscriber attached (INCR
    // sb:{S}:attach): only a later attach replaces it. Max until known.
    std::int64_t generation = std::numeric_limits<std::int64_t>::max();
  };
  std::unordered_map<std::string, Slot> sinks;  // guarded by mutex

  std::shared_ptr<EventSink> Find(const std::string& session_id) {
    std::lock_guard lock(mutex);
    const auto it = sinks.find(session_id);
    return it == sinks.end() ? nullptr : it->second.sink.lock();
  }

  // A message on sb:{session}:events, on the subscriber's strand.
  void OnMessage(const std::string& session_id, const std::string& payload) {
    json::error_code ec;
    const json::value message = json::parse(payload, ec);
    const auto* object = message.if_object();
    if (ec || object == nullptr) return;
    const auto* from = object->if_contains("from");
    if (from == nullptr || !from->is_string() || from->get_string() == instance_id) return;  // our own
    const auto* kind = object->if_contains("kind");
    if (kind == nullptr || !kind->is_string()) return;
    if (kind->get_string() == "replaced") {
      const auto* generation = object->if_contains("generation");
      const std::int64_t later = generation != nullptr && generation->is_int64()
                                     ? generation->get_int64()
                                     : std::numeric_limits<std::int64_t>::max();
      std::shared_ptr<EventSink> previous;
      {
        std::lock_guard lock(mutex);
        const auto it = sinks.find(session_id);
        if (it != sinks.end() && it->second.generation >= later) return;  // a late message: ours is newer
        if (it != sinks.end()) {
          previous = it->second.sink.lock();
          sinks.erase(it);
        }
        if (subscriber != nullptr) subscriber->Forget(Channel(session_id));
      }
      if (previous) previous->Replaced();
      return;
    }
    const auto* list = object->if_contains("events");
    if (kind->get_string() != "events" || list == nullptr || !list->is_array()) return;
    std::vector<Event> events;
    for (const auto& item : list->get_array()) {
      auto event = DecodeRedisEvent(item);
      if (!event) {
        logger.Error("undecodable session event from redis",
                     {{"session_id", session_id}, {"error", event.error().message}});
        return;
      }
      events.push_back(std::move(*event));
    }
    if (auto sink = Find(session_id)) sink->Deliver(events);
  }
};

namespace {

// KEYS: the session's attach counter. ARGV: the channel, the announcement
// without its closing brace, the counter's lifetime in ms. Returns the count.
constexpr const char* kAnnounce = R"lua(
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[1], ARGV[2] .. ',"generation":' .. n .. '}')
return n
)lua";

// KEYS: the session's lease. ARGV: the lease value the publisher holds, the
// channel, the payload. The subscriber count, or -1 when the lease moved on.
constexpr const char* kFencedPublish = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
return redis.call('PUBLISH', ARGV[2], ARGV[3])
)lua";

}  // namespace

RedisSessionHub::RedisSessionHub(RedisClient& redis, RedisSubscriber& subscriber, core::MetricsRegistry& metrics,
                                 core::Logger logger, const RedisSessionLeases* fence)
    : redis_(redis),
      subscriber_(subscriber),
      logger_(logger),
      fallbacks_(metrics.AddCounter("salesboost_redis_fallbacks_total",
                                    "Calls served without Redis (unreachable) by port operation", {"port"})),
      local_(std::make_shared<Local>(redis.InstanceId(), std::move(logger), &subscriber)),
      announce_(kAnnounce),
      fence_(fence),
      fenced_publish_(kFencedPublish) {}

RedisSessionHub::~RedisSessionHub() {
  std::vector<std::string> sessions;
  {
    std::lock_guard lock(local_->mutex);
    local_->subscriber = nullptr;
    for (const auto& [session_id, sink] : local_->sinks) sessions.push_back(session_id);
    local_->sinks.clear();
  }
  for (const auto& session_id : sessions) subscriber_.Forget(Channel(session_id));
}

std::string RedisSessionHub::Channel(std::string_view session_id) {
  return "sb:{" + std::string(session_id) + "}:events";
}

asio::awaitable<Result<void>> RedisSessionHub::Attach(std::string session_id, std::shared_ptr<EventSink> sink) {
  std::shared_ptr<EventSink> previous;
  {
    std::lock_guard lock(local_->mutex);
    auto& slot = local_->sinks[session_id];
    previous = slot.sink.lock();
    slot = Local::Slot{.sink = sink};
  }
  // Outside the lock: the previous sink may call back into the hub.
  if (previous && previous != sink) previous->Replaced();

  // Counts the attach and announces it with its number, in one round trip.
  const std::string channel = Channel(session_id);
  std::string announcement = json::serialize(json::object{{"from", local_->instance_id}, {"kind", "replaced"}});
  announcement.pop_back();  // '}': the script appends ,"generation":<n>}
  std::vector<std::string> keys{"sb:{" + session_id + "}:attach"};
  std::vector<std::string> args{channel, announcement, "86400000"};
  auto published = co_await redis_.Eval(announce_, std::move(keys), std::move(args));
  if (published && published->IsInteger()) {
    std::lock_guard lock(local_->mutex);
    const auto it = local_->sinks.find(session_id);
    if (it != local_->sinks.end() && it->second.sink.lock() == sink) it->second.generation = published->integer;
  }
  if (!published) {
    fallbacks_.With({"hub_attach"}).Inc();
    logger_.Warn("session hub: replacement not announced, redis unreachable",
                 {{"session_id", session_id}, {"error", published.error().message}});
  }
  std::weak_ptr<Local> weak = local_;
  RedisSubscriber::MessageHandler handler = [weak, session_id](const std::string&, const std::string& payload) {
    if (auto local = weak.lock()) local->OnMessage(session_id, payload);
  };
  auto subscribed = co_await subscriber_.Subscribe(channel, std::move(handler));
  if (!subscribed) {
    fallbacks_.With({"hub_attach"}).Inc();
    logger_.Warn("session hub: subscribed locally only until redis is back",
                 {{"session_id", session_id}, {"error", subscribed.error().message}});
  }
  co_return core::Ok();
}

asio::awaitable<Result<void>> RedisSessionHub::Detach(std::string session_id, const EventSink* sink) {
  bool detached = false;
  {
    std::lock_guard lock(local_->mutex);
    const auto it = local_->sinks.find(session_id);
    if (it != local_->sinks.end()) {
      const auto current = it->second.sink.lock();
      if (!current || current.get() == sink) {
        local_->sinks.erase(it);
        detached = true;
      }
    }
  }
  if (detached) subscriber_.Forget(Channel(session_id));
  co_return core::Ok();
}

asio::awaitable<Result<void>> RedisSessionHub::Publish(std::string session_id, std::vector<Event> events) {
  json::array encoded;
  encoded.reserve(events.size());
  for (const auto& event : events) encoded.push_back(EncodeRedisEvent(event));
  const std::string payload =
      json::serialize(json::object{{"from", local_->instance_id}, {"kind", "events"}, {"events", std::move(encoded)}});
  const auto sink = local_->Find(session_id);
  if (sink) sink->Deliver(events);  // our own socket: no round trip through Redis
  const auto lease = fence_ != nullptr ? fence_->HeldValue(session_id) : std::nullopt;
  Result<RedisValue> published;
  if (lease) {
    std::vector<std::string> keys{RedisSessionLeases::LeaseKey(session_id)};
    std::vector<std::string> args{*lease, Channel(session_id), payload};
    published = co_await redis_.Eval(fenced_publish_, std::move(keys), std::move(args));
    if (published && published->integer < 0) {
      co_return core::Fail(core::ErrorCode::kAborted, "this instance no longer holds the session: not published");
    }
  } else {
    std::vector<std::string> publish{"PUBLISH", Channel(session_id), payload};
    published = co_await redis_.Command(std::move(publish));
  }
  if (!published) {
    if (sink) {
      fallbacks_.With({"hub_publish"}).Inc();
      logger_.Warn("session hub: delivered locally only, redis unreachable",
                   {{"session_id", session_id}, {"error", published.error().message}});
      co_return core::Ok();
    }
    co_return core::Fail(published.error());
  }
  co_return core::Ok();
}

}  // namespace salesboost::infra
