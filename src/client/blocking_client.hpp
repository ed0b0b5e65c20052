// Blocking HTTP and WebSocket clients for tools and end-to-end tests (the
// terminal chat client, the test suites). Every call has a timeout. Not
// thread-safe: one thread uses one client.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace salesboost::client {

using Headers = std::vector<std::pair<std::string, std::string>>;
using std::chrono::milliseconds;

struct Endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
};

struct HttpReply {
  int status = 0;
  Headers headers;  // names lower-cased
  std::string body;

  std::optional<std::string> Header(std::string_view name) const;
};

// One request on a new connection; the timeout covers connect, write and read.
core::Result<HttpReply> Fetch(const Endpoint& endpoint, const std::string& method, const std::string& target,
                              std::string body = {}, const Headers& headers = {},
                              milliseconds timeout = milliseconds(5000));

// Sends raw bytes and returns everything received until the server closes
// (or the timeout passes). For malformed-request tests.
core::Result<std::string> RawExchange(const Endpoint& endpoint, std::string bytes,
                                      milliseconds timeout = milliseconds(5000));

struct WsEvent {
  enum class Kind { kText, kBinary, kClosed };
  Kind kind = Kind::kText;
  std::string data;              // message payload
  std::uint16_t close_code = 0;  // kClosed: the code the server sent (1006 if none)
  std::string close_reason;
};

struct WsClientOptions {
  Headers headers;               // extra upgrade request headers
  milliseconds timeout{5000};    // for connect and handshake
  int receive_buffer_bytes = 0;  // SO_RCVBUF before connecting; 0 keeps the default
};

class WsClient {
 public:
  // Connects and upgrades. An HTTP refusal gives an error whose message holds
  // "status <code>: <body>".
  static core::Result<std::unique_ptr<WsClient>> Connect(const Endpoint& endpoint, const std::string& target,
                                                         const WsClientOptions& options = {});
  ~WsClient();

  core::Result<void> SendText(std::string text, milliseconds timeout = milliseconds(5000));
  core::Result<void> SendBinary(std::string data, milliseconds timeout = milliseconds(5000));
  core::Result<void> Ping(const std::string& payload, milliseconds timeout = milliseconds(5000));

  // The next message, or the close. kDeadlineExceeded when nothing arrives in time.
  core::Result<WsEvent> Read(milliseconds timeout);
  // Reads until a pong arrives; messages read meanwhile are kept for Read().
  core::Result<void> AwaitPong(milliseconds timeout);
  core::Result<void> Close(std::uint16_t code, milliseconds timeout = milliseconds(5000));

  int PingsReceived() const;  // keep-alive pings the server sent (answered automatically)
  int PongsReceived() const;

 private:
  struct Impl;
  explicit WsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace salesboost::client
