#include "infra/redis/instance_registry.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace salesboost::infra {

namespace asio = boost::asio;
using core::Result;

// What the renewing coroutine owns; it never touches the registry itself.
struct InstanceRegistry::Loop {
  explicit Loop(const asio::any_io_executor& executor) : timer(executor) {}
  asio::steady_timer timer;
  std::atomic<bool> stopped{false};
  std::atomic<bool> running{true};  // false once the coroutine returned
};

namespace {

asio::awaitable<Result<void>> WriteHeartbeat(RedisClient* redis, std::string key, std::string value,
                                             std::chrono::milliseconds ttl) {
  std::vector<std::string> command{"SET", std::move(key), std::move(value), "PX", std::to_string(ttl.count())};
  auto reply = co_await redis->Command(std::move(command));
  if (!reply) co_return core::Fail(reply.error());
  co_return core::Ok();
}

asio::awaitable<void> Renew(std::shared_ptr<InstanceRegistry::Loop> loop, RedisClient* redis, std::string key,
                            std::string value, std::chrono::milliseconds ttl, core::Logger logger) {
  while (!loop->stopped) {
    auto written = co_await WriteHeartbeat(redis, key, value, ttl);
    if (!written) logger.Warn("instance heartbeat failed", {{"error", written.error().message}});
    if (loop->stopped) break;
    loop->timer.expires_after(std::max(std::chrono::milliseconds(10), ttl / 3));
    co_await loop->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  loop->running = false;
}

}  // namespace

InstanceRegistry::InstanceRegistry(RedisClient& redis, InstanceRegistryOptions options, const core::Clock& clock,
                                   core::Logger logger)
    : redis_(redis),
      options_(std::move(options)),
      logger_(std::move(logger)),
      started_at_(core::IsoSeconds(clock.Now())) {}

InstanceRegistry::~InstanceRegistry() {
  if (loop_) {
    loop_->stopped = true;
    asio::post(loop_->timer.get_executor(), [loop = loop_] { loop->timer.cancel(); });
  }
}

std::string InstanceRegistry::HeartbeatKey(std::string_view instance_id) {
  return "sb:instance:" + std::string(instance_id);
}

void InstanceRegistry::Start(const asio::any_io_executor& executor) {
  if (loop_) return;
  loop_ = std::make_shared<Loop>(executor);
  const std::string value = boost::json::serialize(
      boost::json::object{{"id", InstanceId()}, {"address", options_.address}, {"started_at", started_at_}});
  asio::co_spawn(executor, Renew(loop_, &redis_, HeartbeatKey(InstanceId()), value, options_.ttl, logger_),
                 asio::detached);
}

asio::awaitable<Result<void>> InstanceRegistry::Stop() {
  if (loop_) {
    loop_->stopped = true;
    asio::post(loop_->timer.get_executor(), [loop = loop_] { loop->timer.cancel(); });
    // A heartbeat in flight must not write the key again after the DEL
    // (it ends within the command timeout).
    asio::steady_timer pause(co_await asio::this_coro::executor);
    while (loop_->running) {
      pause.expires_after(std::chrono::milliseconds(5));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
  std::vector<std::string> command{"DEL", HeartbeatKey(InstanceId())};
  auto reply = co_await redis_.Command(std::move(command));
  if (!reply) co_return core::Fail(reply.error());
  co_return core::Ok();
}

asio::awaitable<Result<void>> InstanceRegistry::Beat() {
  const std::string value = boost::json::serialize(
      boost::json::object{{"id", InstanceId()}, {"address", options_.address}, {"started_at", started_at_}});
  co_return co_await WriteHeartbeat(&redis_, HeartbeatKey(InstanceId()), value, options_.ttl);
}

asio::awaitable<Result<bool>> InstanceRegistry::Alive(std::string instance_id) {
  std::vector<std::string> exists{"EXISTS", HeartbeatKey(instance_id)};
  auto heartbeat = co_await redis_.Command(std::move(exists));
  if (!heartbeat) co_return core::Fail(heartbeat.error());
  if (heartbeat->integer == 0) co_return false;
  std::vector<std::string> list{"CLIENT", "LIST"};
  auto clients = co_await redis_.Command(std::move(list));
  if (!clients) co_return core::Fail(clients.error());
  // One line per connection: "id=.. addr=.. ... name=salesboost:<id> age=..".
  const std::string needle = " name=salesboost:" + instance_id + " ";
  co_return clients->text.find(needle) != std::string::npos;
}

asio::awaitable<Result<std::vector<std::string>>> InstanceRegistry::Instances() {
  std::vector<std::string> ids;
  std::string cursor = "0";
  const std::string prefix = HeartbeatKey("");
  do {
    std::vector<std::string> scan{"SCAN", cursor, "MATCH", prefix + "*", "COUNT", "200"};
    auto reply = co_await redis_.Command(std::move(scan));
    if (!reply) co_return core::Fail(reply.error());
    if (!reply->IsArray() || reply->elements.size() != 2) {
      co_return core::Fail(core::ErrorCode::kInternal, "unexpected SCAN reply");
    }
    cursor = reply->elements[0].text;
    for (const auto& key : reply->elements[1].elements) ids.push_back(key.text.substr(prefix.size()));
  } while (cursor != "0");
  co_return ids;
}

}  // namespace salesboost::infra
