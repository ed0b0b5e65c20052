// DeltaSink: where the customer's reply goes as it is produced. Called by one
// NpcAgent on the turn's coroutine; not thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

namespace salesboost::conversation {

// Receives the customer's reply as it is produced.
class DeltaSink {
 public:
  virtual ~DeltaSink() = default;
  virtual boost::asio::awaitable<void> Delta(std::string text) = 0;
  // The deltas so far are withdrawn (a provider failed mid-reply, or the
  // compliance guard cut it); the reply starts again from empty. `reason`:
  // provider_failed or compliance.
  virtual boost::asio::awaitable<void> Reset(std::string reason) = 0;
};

}  // namespace salesboost::conversation
