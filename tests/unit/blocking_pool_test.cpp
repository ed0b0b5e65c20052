#include "core/blocking_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

namespace salesboost::core {
namespace {

TEST(BlockingPool, RunsOffTheCallerThreadAndResumesOnIt) {
  BlockingPool pool(2);
  boost::asio::io_context io;
  std::thread::id caller, worker, resumed;
  int value = 0;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        caller = std::this_thread::get_id();
        auto task = [&] {
          worker = std::this_thread::get_id();
          return 41 + 1;
        };
        value = co_await pool.Run(std::move(task));
        resumed = std::this_thread::get_id();
      },
      boost::asio::detached);
  io.run();  // returns only after the result came back: Run keeps the io_context busy
  EXPECT_EQ(value, 42);
  EXPECT_NE(worker, caller);
  EXPECT_EQ(resumed, caller);
}

}  // namespace
}  // namespace salesboost::core
