// RedisLiveBuffer: the LiveBuffer port across instances, a bounded Redis
// stream per session, sb:{S}:live (XADD MAXLEN ~ max_events; the stream
// expires `ttl` after its last append, so an abandoned one dies), plus an
// in-process copy (InProcessLiveBuffer) of what this instance appended.
//
// With Redis unreachable the owning instance still serves its own sockets:
// Append succeeds when the local copy took the events; Read returns the union
// of the stream and the local copy by seq, or the local copy alone; Clear
// clears both, Redis best effort. Fallbacks count in
// salesboost_redis_fallbacks_total{port="live_buffer_*"}. Thread-safe;
// `redis` must outlive it.
#pragma once

#include <chrono>
#include <cstddef>

#include "conversation/in_process_live_buffer.hpp"
#include "conversation/live_buffer.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "infra/redis/redis_client.hpp"
#include "infra/redis/redis_session_leases.hpp"

namespace salesboost::infra {

struct RedisLiveBufferOptions {
  std::size_t max_events = 5000;          // a stream keeps about this many events (MAXLEN ~)
  std::chrono::milliseconds ttl{600000};  // a stream not appended to for this long is deleted
};

class RedisLiveBuffer final : public conversation::LiveBuffer {
 public:
  // With `fence`, events are appended only while this instance's lease on
  // the session is still current (checked in Redis, atomically with the
  // XADDs): kAborted otherwise.
  RedisLiveBuffer(RedisClient& redis, RedisLiveBufferOptions options, core::MetricsRegistry& metrics,
                  core::Logger logger, const RedisSessionLeases* fence = nullptr);

  boost::asio::awaitable<core::Result<void>> Append(std::string session_id,
                                                    std::vector<conversation::Event> events) override;
  boost::asio::awaitable<core::Result<std::vector<conversation::Event>>> Read(std::string session_id,
                                                                              std::int64_t after_seq) override;
  boost::asio::awaitable<core::Result<void>> Clear(std::string session_id) override;

  static std::string StreamKey(std::string_view session_id);

 private:
  RedisClient& redis_;
  const RedisLiveBufferOptions options_;
  core::Logger logger_;
  core::Family<core::Counter>& fallbacks_;
  conversation::InProcessLiveBuffer local_;
  const RedisScript append_;
  const RedisSessionLeases* fence_;
};

}  // namespace salesboost::infra
