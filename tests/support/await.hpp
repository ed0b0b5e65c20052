// Await: runs one coroutine to completion on `io`, which outlives the clients
// that use it (pooled connections belong to the context that opened them).
// Work the coroutine spawns on `io` runs to its end too.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>

namespace salesboost::testing {

template <typename T>
T Await(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  std::optional<T> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(work)); }, boost::asio::detached);
  io.restart();
  io.run();
  return std::move(*out);
}

}  // namespace salesboost::testing
