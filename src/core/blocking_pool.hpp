// BlockingPool: a fixed set of threads for calls that block (sqlite3, libpq,
// Poppler, Tesseract), awaitable from coroutines so I/O threads never block.
//
//   Result<Row> row = co_await pool.Run([&] { return db.Get(id); });
//
// The coroutine resumes on its own executor. Run() keeps that executor's
// io_context alive until the result is delivered. Thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>
#include <utility>

namespace salesboost::core {

class BlockingPool {
 public:
  explicit BlockingPool(int threads) : pool_(static_cast<std::size_t>(threads)) {}
  ~BlockingPool() { Stop(); }
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Runs `fn` on a pool thread; its return value is the awaited value. `fn` must not throw.
  template <typename F>
  boost::asio::awaitable<std::invoke_result_t<F&>> Run(F fn) {
    using R = std::invoke_result_t<F&>;
    auto initiation = [this](auto handler, F f) {
      auto home = boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                      boost::asio::execution::outstanding_work.tracked);
      boost::asio::post(pool_, [handler = std::move(handler), f = std::move(f), home]() mutable {
        R result = f();
        boost::asio::post(home, [handler = std::move(handler), result = std::move(result)]() mutable {
          std::move(handler)(std::move(result));
        });
      });
    };
    R result = co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void(R)>(
        initiation, boost::asio::use_awaitable, std::move(fn));
    co_return result;
  }

  // Waits for queued work to finish and joins the threads. Idempotent.
  void Stop() { pool_.join(); }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace salesboost::core
