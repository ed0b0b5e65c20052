// What the Redis integration tests share: an io_context run by two threads
// (the adapters are called from several threads in the server), a metrics
// registry, a clock and quiet logs; and client options for a test server.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/system_clock.hpp"
#include "infra/redis/redis_options.hpp"

namespace salesboost::testing {

class IoThreads {
 public:
  IoThreads() {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~IoThreads() { Join(); }
  // Lets the context finish what is queued (connections closing) and joins.
  void Join() {
    guard_.reset();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  boost::asio::any_io_executor Executor() { return io_.get_executor(); }
  template <typename T>
  T Run(boost::asio::awaitable<T> work) {
    return boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future).get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{io_.get_executor()};
  std::vector<std::thread> threads_;
};

inline boost::asio::awaitable<void> Sleep(std::chrono::milliseconds duration) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, duration);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

inline infra::RedisOptions TestRedisOptions(std::string url, std::string instance_id) {
  infra::RedisOptions options;
  options.url = std::move(url);
  options.instance_id = std::move(instance_id);
  options.pool_size = 2;
  options.command_timeout = std::chrono::milliseconds(300);
  options.connect_timeout = std::chrono::milliseconds(300);
  options.reconnect_min = std::chrono::milliseconds(20);
  options.reconnect_max = std::chrono::milliseconds(200);
  options.breaker.open_duration = std::chrono::milliseconds(500);
  return options;
}

inline core::Logger QuietLogger() { return core::Logger::Stdout(core::LogLevel::kOff); }

}  // namespace salesboost::testing
