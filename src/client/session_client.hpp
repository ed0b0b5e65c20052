// SessionClient: one WebSocket of the session protocol over the blocking
// WsClient: join (or resume after the last event seen), send turns, end, and
// read the server's events parsed into ServerEvents. It remembers the seq of
// the last event read, which a reconnecting client passes to Resume. Every call
// has a timeout. Not thread-safe: one thread uses one client.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "client/blocking_client.hpp"
#include "client/session_protocol.hpp"
#include "core/result.hpp"

namespace salesboost::client {

class SessionClient {
 public:
  // Opens /ws with `token`. An HTTP refusal gives an error whose message holds "status <code>: <body>".
  static core::Result<std::unique_ptr<SessionClient>> Connect(const Endpoint& endpoint, std::string_view token,
                                                              const WsClientOptions& options = {});

  core::Result<void> Join(std::string_view session_id, std::optional<std::int64_t> last_seq = std::nullopt);
  // Joins again asking only for the events after the last one this client read.
  core::Result<void> Resume(std::string_view session_id) { return Join(session_id, last_seq_); }
  core::Result<void> SendTurn(std::string_view turn_id, std::string_view text);
  core::Result<void> End();
  // Any text message (for messages the protocol helpers do not build).
  core::Result<void> Send(std::string text);

  // The next event. kDeadlineExceeded when none arrives in time; kUnavailable
  // when the server closed the socket ("the server closed the connection
  // (<code> <reason>)"); kInvalidArgument for a message outside the protocol.
  core::Result<ServerEvent> Next(milliseconds timeout);

  // The seq of the last event read that had one (0 before any).
  std::int64_t last_seq() const { return last_seq_; }
  void set_last_seq(std::int64_t seq) { last_seq_ = seq; }
  // The socket itself, for what the protocol does not cover (pings, raw frames, closing).
  WsClient& socket() { return *ws_; }

 private:
  explicit SessionClient(std::unique_ptr<WsClient> ws) : ws_(std::move(ws)) {}

  std::unique_ptr<WsClient> ws_;
  std::int64_t last_seq_ = 0;
};

}  // namespace salesboost::client
