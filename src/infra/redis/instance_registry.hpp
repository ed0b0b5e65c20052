// InstanceRegistry: which SalesBoost instances are alive, through Redis.
//
// Each instance keeps a heartbeat key sb:instance:<id> (JSON {id, address,
// started_at}) with a PX expiry of `ttl`, written again every ttl/3 by a
// coroutine between Start and Stop. Another instance counts as alive while
// its heartbeat key exists AND a Redis connection named salesboost:<id> is
// open (CLIENT LIST): a killed process's connections are closed by its kernel
// at once, so its death is seen in milliseconds; the key's expiry covers a
// process cut off by the network. Thread-safe; `redis` must outlive it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/logging.hpp"
#include "core/result.hpp"
#include "infra/redis/redis_client.hpp"

namespace salesboost::infra {

struct InstanceRegistryOptions {
  std::string address;                  // where this instance serves (host:port), for operators
  std::chrono::milliseconds ttl{6000};  // lifetime of the heartbeat key; renewed every ttl/3
};

class InstanceRegistry {
 public:
  InstanceRegistry(RedisClient& redis, InstanceRegistryOptions options, const core::Clock& clock, core::Logger logger);
  ~InstanceRegistry();
  InstanceRegistry(const InstanceRegistry&) = delete;
  InstanceRegistry& operator=(const InstanceRegistry&) = delete;

  // Writes the heartbeat on `executor` at once and keeps renewing it until Stop.
  void Start(const boost::asio::any_io_executor& executor);
  // Stops renewing and deletes this instance's heartbeat key.
  boost::asio::awaitable<core::Result<void>> Stop();
  // One heartbeat now.
  boost::asio::awaitable<core::Result<void>> Beat();

  // The heartbeat key exists and a connection named salesboost:<instance_id> is open.
  boost::asio::awaitable<core::Result<bool>> Alive(std::string instance_id);
  // The ids of the instances with a heartbeat key.
  boost::asio::awaitable<core::Result<std::vector<std::string>>> Instances();

  const std::string& InstanceId() const { return redis_.InstanceId(); }
  static std::string HeartbeatKey(std::string_view instance_id);

  struct Loop;  // the renewing coroutine's state (internal)

 private:
  RedisClient& redis_;
  const InstanceRegistryOptions options_;
  core::Logger logger_;
  const std::string started_at_;
  std::shared_ptr<Loop> loop_;
};

}  // namespace salesboost::infra
