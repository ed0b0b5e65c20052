// HttpClient: an asynchronous HTTP/1.1 client for calls to external services
// (LLM providers, embedders, OCR endpoints). TLS with SNI, the system's CAs
// and certificate verification always on; keep-alive connections pooled per
// scheme, host and port; timeouts for connect, first byte, idle between body
// pieces and the whole exchange. Responses are read piece by piece as they
// arrive (for streamed replies) or whole.
//
// Cancelling the awaiting coroutine (or destroying an exchange before its end)
// closes the connection, so the server sees the client go away. Connections
// are pooled per I/O context and used only by coroutines running on it; the
// client must be destroyed before the I/O contexts it ran on. Beast lives
// only in http_client.cpp. Thread-safe: one client serves every I/O thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace salesboost::net {

using std::chrono::milliseconds;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpClientOptions {
  std::size_t max_idle_per_host = 256;  // pooled keep-alive connections per scheme://host:port and I/O context
  milliseconds idle_keepalive{30000};   // pooled connections older than this are closed, not reused
  std::string extra_ca_file;            // PEM CAs trusted besides the system's (a private CA)
};

struct HttpRequest {
  std::string method = "POST";
  std::string url;  // http:// or https://
  Headers headers;
  std::string body;
  milliseconds connect_timeout{5000};      // resolve, connect and TLS handshake of a new connection
  milliseconds first_byte_timeout{30000};  // from the request sent to the response head
  milliseconds idle_timeout{30000};        // between two pieces of the body
  milliseconds total_timeout{120000};      // the whole exchange
};

// One response being received. Destroying it before the body ended closes the connection.
class HttpExchange {
 public:
  virtual ~HttpExchange() = default;
  virtual int Status() const = 0;
  virtual const Headers& ResponseHeaders() const = 0;  // names lower-cased
  std::optional<std::string> Header(std::string_view name) const;
  // The next piece of the body as it arrives; nullopt at its end.
  virtual boost::asio::awaitable<core::Result<std::optional<std::string>>> Read() = 0;
  // The rest of the body; kResourceExhausted beyond `limit` bytes.
  boost::asio::awaitable<core::Result<std::string>> ReadAll(std::size_t limit);
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::optional<std::string> Header(std::string_view name) const;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request and returns once the response head is in. Errors:
  // kInvalidArgument (bad URL), kUnavailable (cannot connect, connection
  // lost), kDeadlineExceeded (a timeout), kFailedPrecondition (TLS
  // certificate verification failed).
  boost::asio::awaitable<core::Result<std::unique_ptr<HttpExchange>>> Open(HttpRequest request);
  // Open, then ReadAll(limit).
  boost::asio::awaitable<core::Result<HttpResponse>> Fetch(HttpRequest request, std::size_t limit = 16 << 20);

  // Closes every pooled connection (see the note on I/O contexts above).
  void CloseIdle();

  struct Stats {
    std::size_t connections_opened = 0;
    std::size_t connections_reused = 0;
    std::size_t idle = 0;
  };
  Stats PoolStats() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

// A Retry-After header's delay: delta seconds (fractions allowed) or an HTTP date.
std::optional<milliseconds> ParseRetryAfter(std::string_view value);

}  // namespace salesboost::net
