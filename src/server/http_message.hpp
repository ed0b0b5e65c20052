// HttpRequest / HttpResponse: the server's plain request and response types,
// free of Beast so handlers compile quickly. ErrorResponse is the one place
// where error codes become HTTP statuses and the JSON error envelope
//   {"error":{"code":"not_found","message":"…","request_id":"…"}}
// A response may stream its body (Server-Sent Events): the server sends the
// head, then runs the response's BodyProducer, which writes pieces as they
// come (chunked transfer encoding on HTTP/1.1).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace salesboost::server {

struct HttpRequest {
  std::string method;                                        // "GET"
  std::string target;                                        // as sent: "/api/v1/x?y=1"
  std::string path;                                          // percent-decoded path: "/api/v1/x"
  std::string query;                                         // raw query without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in arrival order
  std::string body;
  std::string request_id;                          // from X-Request-Id when acceptable, else generated
  std::string remote_address;                      // the peer's IP address (no port)
  std::map<std::string, std::string> path_params;  // {name} segments matched by the router

  // First value of header `name` (lower-case).
  std::optional<std::string_view> Header(std::string_view name) const;
  // First value of query parameter `name`, percent-decoded.
  std::optional<std::string> QueryParam(std::string_view name) const;
};

// Where a streamed body goes. Used on the connection's executor only.
class BodyWriter {
 public:
  virtual ~BodyWriter() = default;
  // Sends `data` to the client now; false once the client is gone (the
  // producer should stop).
  virtual boost::asio::awaitable<bool> Write(std::string data) = 0;
};

// Writes a response body while it is sent; the response ends when it returns.
using BodyProducer = std::function<boost::asio::awaitable<void>(BodyWriter&)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  BodyProducer stream{};                                     // when set, the body is what it writes (`body` is ignored)

  static HttpResponse Json(int status, std::string body);
  static HttpResponse Text(int status, std::string content_type, std::string body);
};

// HTTP status for an error code (kNotFound -> 404, kUnavailable -> 503, ...).
int HttpStatusFor(core::ErrorCode code);

// The JSON error envelope with an explicit status and code (for HTTP-level
// errors such as 405, 413, 431 that have no domain ErrorCode).
HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message, std::string_view request_id);

// What a client may read of `error`: its message, except for kInternal, whose
// details belong in logs ("internal error"). Used for HTTP and WebSocket alike.
std::string_view ClientMessage(const core::Error& error);

// The envelope for a domain error. kInternal messages are replaced by a
// generic text: details belong in logs, not in responses.
HttpResponse ErrorResponse(const core::Error& error, std::string_view request_id);

}  // namespace salesboost::server
