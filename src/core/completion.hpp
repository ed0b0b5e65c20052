// Completion<T>: one value handed from any thread to one awaiting coroutine
// (a job's result back to the caller that queued it). Set once; Wait resumes
// on the executor given at construction. Thread-safe: Set posts to that executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <optional>

namespace salesboost::core {

template <typename T>
class Completion {
 public:
  explicit Completion(const boost::asio::any_io_executor& executor)
      : timer_(executor, boost::asio::steady_timer::time_point::max()) {}

  static void Set(const std::shared_ptr<Completion>& self, T value) {
    boost::asio::post(self->timer_.get_executor(), [self, value = std::move(value)]() mutable {
      self->value_ = std::move(value);
      self->timer_.cancel();
    });
  }

  boost::asio::awaitable<T> Wait() {
    while (!value_) co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    co_return std::move(*value_);
  }

 private:
  boost::asio::steady_timer timer_;
  std::optional<T> value_;  // touched only on the timer's executor
};

}  // namespace salesboost::core
