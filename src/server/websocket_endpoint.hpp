// The WebSocket application port. The server owns sockets, framing, limits,
// keep-alive and backpressure; an endpoint decides whether to accept an
// upgrade and handles each connection's messages.
//
// Close codes the server itself uses (docs/protocol.md lists them all):
//   1001 server shutting down, 1003 binary frame, 1007 invalid UTF-8,
//   1009 message too big, 1011 internal error, 4000 idle, 4001 slow consumer,
//   4002 replaced by another connection to the same session.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "server/http_message.hpp"

namespace salesboost::server {

// The path a WebSocketEndpoint serves (GET with Upgrade: websocket); the server
// answers a plain GET there with 426.
inline constexpr std::string_view kWebSocketPath = "/ws";

enum class CloseCode : std::uint16_t {
  kNormal = 1000,
  kGoingAway = 1001,        // server shutting down
  kUnsupportedData = 1003,  // binary frames
  kInvalidPayload = 1007,   // invalid UTF-8 or unparseable message
  kPolicyViolation = 1008,
  kMessageTooBig = 1009,
  kInternalError = 1011,
  kIdleTimeout = 4000,   // no client message within websocket.idle_timeout_ms
  kSlowConsumer = 4001,  // the outgoing queue overflowed: the client does not read
  kReplaced = 4002,      // another connection joined the same session (take-over)
};

// Sends to one client. Thread-safe; messages arrive in call order.
class WebSocketSender {
 public:
  virtual ~WebSocketSender() = default;
  // Queues a text message. Returns false if the connection is closing or the
  // message overflowed the queue (the client is then closed with 4001).
  virtual bool Send(std::string text) = 0;
  // Closes after the messages already queued are sent.
  virtual void Close(CloseCode code, std::string reason) = 0;
};

// One per connection. Called on the connection's strand, one message at a time.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  virtual boost::asio::awaitable<void> OnMessage(std::string text) = 0;
  // The connection is gone; no further calls follow.
  virtual void OnClose() = 0;
};

struct AcceptedWebSocket {
  std::unique_ptr<WebSocketHandler> handler;
  std::string subprotocol;  // echoed in Sec-WebSocket-Protocol when not empty
};

class WebSocketEndpoint {
 public:
  virtual ~WebSocketEndpoint() = default;
  // Decides before the 101 response (it may wait, e.g. for the store); an
  // error refuses the upgrade with the matching HTTP status and error envelope.
  virtual boost::asio::awaitable<core::Result<AcceptedWebSocket>> Accept(HttpRequest upgrade,
                                                                         std::shared_ptr<WebSocketSender> sender) = 0;
};

}  // namespace salesboost::server
