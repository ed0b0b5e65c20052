// RedisSessionHub: the SessionHub port across instances.
//
// Each instance keeps its own map session -> subscriber (the sockets it
// holds), as InProcessSessionHub does, and subscribes the channel
// sb:{S}:events while it holds session S's subscriber. Attach first publishes
// a "replaced" message on the channel, numbered by the session's attach
// counter sb:{S}:attach (the instance holding an earlier subscriber calls its
// Replaced() and unsubscribes; a late message never replaces a later
// subscriber), then subscribes. Publish
// delivers to this instance's subscriber directly and PUBLISHes the events
// (EncodeRedisEvent) for the instance that holds it.
//
// Redis unreachable: Publish still delivers to a local subscriber and Attach
// keeps the local one (both return ok, with a warning and
// salesboost_redis_fallbacks_total{port="hub_*"}); the subscriber connection
// subscribes the channels again once Redis is back. Thread-safe; `redis` and
// `subscriber` must outlive it.
#pragma once

#include <memory>
#include <string>

#include "conversation/session_hub.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "infra/redis/redis_client.hpp"
#include "infra/redis/redis_session_leases.hpp"

namespace salesboost::infra {

class RedisSessionHub final : public conversation::SessionHub {
 public:
  // With `fence`, a session's events are published only while this
  // instance's lease on it is still current (checked in Redis, atomically with
  // the PUBLISH): kAborted otherwise.
  RedisSessionHub(RedisClient& redis, RedisSubscriber& subscriber, core::MetricsRegistry& metrics, core::Logger logger,
                  const RedisSessionLeases* fence = nullptr);
  ~RedisSessionHub() override;

  boost::asio::awaitable<core::Result<void>> Attach(std::string session_id,
                                                    std::shared_ptr<conversation::EventSink> sink) override;
  boost::asio::awaitable<core::Result<void>> Detach(std::string session_id,
                                                    const conversation::EventSink* sink) override;
  boost::asio::awaitable<core::Result<void>> Publish(std::string session_id,
                                                     std::vector<conversation::Event> events) override;

  static std::string Channel(std::string_view session_id);

 private:
  struct Local;  // the local subscribers, shared with the message handlers
  RedisClient& redis_;
  RedisSubscriber& subscriber_;
  core::Logger logger_;
  core::Family<core::Counter>& fallbacks_;
  std::shared_ptr<Local> local_;
  const RedisScript announce_;
  const RedisSessionLeases* fence_;
  const RedisScript fenced_publish_;
};

}  // namespace salesboost::infra
