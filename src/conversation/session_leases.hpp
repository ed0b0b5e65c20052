// SessionLeases: which instance may write a session. The actor that runs a
// session's jobs holds the session's lease while it has work, renews it every
// RenewInterval(), and releases it when its queue is empty; another instance
// waits for the release, or takes the lease over at once when the holder's
// instance is gone. The lease keeps instances from running the same session
// side by side; correctness does not rest on it alone: every commit and every
// seq reservation is fenced in the store by the expected last seq, so a holder
// that lost its lease (a paused process) cannot write after the next owner did.
//
// InProcessSessionLeases is the embedded default (one process: the actor map
// already serialises a session); a Redis lease (SET NX PX, renewal, take-over
// of a dead instance's lease) implements the port when instances scale out.
// Asynchronous and fallible. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace salesboost::conversation {

struct Lease {
  std::int64_t epoch = 0;  // grows with every grant of the session's lease (a fencing token)
  // No other instance held the lease since this instance last released it, so
  // what this process cached about the session is still current.
  bool continued = false;
};

class SessionLeases {
 public:
  virtual ~SessionLeases() = default;
  // Grants this instance the session's lease. A lease held by a live instance
  // is waited for, up to `wait` (zero: not at all), then kResourceExhausted; a
  // lease whose instance is gone is taken over at once. kUnavailable: the lease
  // service cannot be reached.
  virtual boost::asio::awaitable<core::Result<Lease>> Acquire(std::string session_id,
                                                              std::chrono::milliseconds wait) = 0;
  // Extends the lease; false when it is no longer this instance's (taken over).
  virtual boost::asio::awaitable<core::Result<bool>> Renew(std::string session_id, Lease lease) = 0;
  // Gives the lease up if it is still this one.
  virtual boost::asio::awaitable<core::Result<void>> Release(std::string session_id, Lease lease) = 0;
  // How often a holder renews.
  virtual std::chrono::milliseconds RenewInterval() const = 0;
};

}  // namespace salesboost::conversation
