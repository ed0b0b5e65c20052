// RedisClient and RedisSubscriber: Redis over hiredis' asynchronous API,
// driven by an Asio executor (no thread of their own).
//
// RedisClient keeps `pool_size` command connections; a command goes to the
// next connected one (each pipelines). Every command has a deadline
// (`command_timeout`): a command not answered by then fails with kUnavailable
// and its connection is considered broken, closed and opened again with
// backoff. A CircuitBreaker over the outcomes refuses commands at once with
// kUnavailable while Redis is unreachable. With sentinels, the primary is
// asked of them before each connect, and again after a connection failure or
// a READONLY reply (a failover), which the command then follows transparently.
// Every connection is named salesboost:<instance_id>.
//
// RedisSubscriber is the one connection a SUBSCRIBEd context needs: channels
// with a handler each, all subscribed again after a reconnect.
//
// Both are thread-safe: callers on any executor, results resumed on the
// caller's executor; hiredis itself is only touched on the client's strand.
// Destroying either closes its connections (on the executor, which must
// still run then); commands still in flight fail with kUnavailable.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "infra/redis/redis_options.hpp"
#include "infra/redis/redis_value.hpp"
#include "resilience/circuit_breaker.hpp"

namespace salesboost::infra {

namespace redis_detail {
class Core;
}

// A Lua script, run with EVALSHA and sent whole (EVAL) when the server does
// not know it (NOSCRIPT). Immutable after construction; thread-safe.
class RedisScript {
 public:
  explicit RedisScript(std::string source);
  const std::string& Source() const { return source_; }
  const std::string& Sha1() const { return sha1_; }

 private:
  std::string source_;
  std::string sha1_;
};

class RedisClient {
 public:
  RedisClient(const boost::asio::any_io_executor& executor, RedisOptions options, core::MetricsRegistry& metrics,
              const core::Clock& clock, core::Logger logger);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command, e.g. {"SET", key, value, "PX", "1000"}. An error reply is
  // kInternal with the server's message; kUnavailable: not connected, timed out
  // or refused by the open breaker.
  boost::asio::awaitable<core::Result<RedisValue>> Command(std::vector<std::string> args);
  // EVALSHA, falling back to EVAL on NOSCRIPT. `script` must outlive the call.
  boost::asio::awaitable<core::Result<RedisValue>> Eval(const RedisScript& script, std::vector<std::string> keys,
                                                        std::vector<std::string> args);

  const std::string& InstanceId() const;
  resilience::BreakerState BreakerState() const;
  // "host:port" of the primary the client connects to now (empty before the first connect).
  std::string PrimaryAddress() const;

 private:
  std::shared_ptr<redis_detail::Core> core_;
};

class RedisSubscriber {
 public:
  // Runs on the subscriber's strand, once per message; must not block.
  using MessageHandler = std::function<void(const std::string& channel, const std::string& payload)>;

  RedisSubscriber(const boost::asio::any_io_executor& executor, RedisOptions options, core::MetricsRegistry& metrics,
                  const core::Clock& clock, core::Logger logger);
  ~RedisSubscriber();
  RedisSubscriber(const RedisSubscriber&) = delete;
  RedisSubscriber& operator=(const RedisSubscriber&) = delete;

  // Subscribes `channel` (replacing its handler) and waits for the server's
  // confirmation. kUnavailable when Redis cannot confirm within the command
  // timeout; the channel stays wanted and is subscribed once Redis is back.
  boost::asio::awaitable<core::Result<void>> Subscribe(std::string channel, MessageHandler handler);
  // Forgets `channel`; its handler is not called after this returns.
  boost::asio::awaitable<core::Result<void>> Unsubscribe(std::string channel);
  // Unsubscribe without waiting (from a message handler).
  void Forget(std::string channel);

 private:
  std::shared_ptr<redis_detail::Core> core_;
};

}  // namespace salesboost::infra
