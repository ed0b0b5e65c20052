// IoContextPool: one io_context per I/O thread. A connection lives on one
// context for its whole life, so its handlers never contend with other
// threads for a scheduler lock; work reaches it from elsewhere by posting to
// its executor. Contexts are kept alive by work guards until ReleaseWork().
// Next() is thread-safe; Run() is called once.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

namespace salesboost::core {

class IoContextPool {
 public:
  explicit IoContextPool(int threads);
  IoContextPool(const IoContextPool&) = delete;
  IoContextPool& operator=(const IoContextPool&) = delete;

  boost::asio::io_context& At(std::size_t i) { return *contexts_.at(i); }
  // Round-robin choice for a new connection.
  boost::asio::io_context& Next();

  // Runs every context on its own thread (context 0 on the caller's) and
  // returns when all have returned: after ReleaseWork() once they are idle,
  // or after Stop().
  void Run();
  // Lets each context return as soon as it has no more work. Thread-safe.
  void ReleaseWork();
  // Stops every context now (pending handlers are abandoned). Thread-safe.
  void Stop();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace salesboost::core
