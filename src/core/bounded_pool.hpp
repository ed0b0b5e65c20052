// BoundedPool: a BlockingPool of its own for one kind of expensive work
// (password hashing), with a bound on the work waiting for a thread. Beyond
// it, TryRun refuses at once instead of queueing, so a flood of such work
// neither queues without end nor delays anything else (the store's threads
// are a different pool). Thread-safe.
#pragma once

#include <atomic>
#include <optional>

#include "core/blocking_pool.hpp"

namespace salesboost::core {

class BoundedPool {
 public:
  // `threads` run the work; at most `max_waiting` more calls wait for one.
  BoundedPool(int threads, int max_waiting) : pool_(threads), capacity_(threads + max_waiting) {}

  // fn's result, or nullopt when the pool is full. `fn` must not throw.
  template <typename F>
  boost::asio::awaitable<std::optional<std::invoke_result_t<F&>>> TryRun(F fn) {
    const Admission admission(admitted_);
    if (admission.count > capacity_) co_return std::nullopt;
    auto result = co_await pool_.Run(std::move(fn));
    co_return std::optional<std::invoke_result_t<F&>>(std::move(result));
  }

  // Calls running or waiting.
  int InFlight() const { return admitted_.load(); }

 private:
  // Counts a call while it lives, so that even a destroyed coroutine gives its place back.
  struct Admission {
    explicit Admission(std::atomic<int>& n) : admitted(n), count(n.fetch_add(1) + 1) {}
    ~Admission() { admitted.fetch_sub(1); }
    Admission(const Admission&) = delete;
    Admission& operator=(const Admission&) = delete;
    std::atomic<int>& admitted;
    const int count;  // calls admitted, this one included
  };

  BlockingPool pool_;
  const int capacity_;
  std::atomic<int> admitted_{0};
};

}  // namespace salesboost::core
