// RunSync: runs one coroutine to completion on a private io_context, for
// command-line work and tests outside the server (migrate, config check).
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>

#include "core/check.hpp"

namespace salesboost::core {

// Runs `work` to completion on `io`, for work whose sockets must outlive the
// call (pooled provider connections belong to the context that opened them).
template <typename T>
T RunOn(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  std::optional<T> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(work)); }, boost::asio::detached);
  io.restart();
  io.run();
  SB_CHECK(out.has_value());
  return std::move(*out);
}

template <typename T>
T RunSync(boost::asio::awaitable<T> work) {
  boost::asio::io_context io;
  std::optional<T> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(work)); }, boost::asio::detached);
  io.run();
  SB_CHECK(out.has_value());
  return std::move(*out);
}

}  // namespace salesboost::core
