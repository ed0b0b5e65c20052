// Router: maps (method, path) to a handler. Patterns are literal segments and
// {name} captures: "/api/v1/sessions/{id}". A route may allow larger request
// bodies than the server's default (uploads). Registration happens at wiring
// time; Find is then read-only and thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "server/http_message.hpp"

namespace salesboost::server {

using Handler = std::function<boost::asio::awaitable<HttpResponse>(HttpRequest)>;

// Runs on a request's headers before its body is read (the request's body is
// empty): a response refuses the request without reading the body, nullopt
// admits it. For routes taking large bodies, so that an unauthenticated client
// cannot make the server buffer them. Must not block.
using HeaderCheck = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

class Router {
 public:
  struct Match {
    const Handler* handler = nullptr;
    std::string route;  // the pattern, used as the metrics label
    std::map<std::string, std::string> params;
  };
  // A registered route, as Add received it.
  struct RouteInfo {
    std::string method;
    std::string pattern;  // "/api/v1/sessions/{id}"
  };
  struct NotFound {};
  struct MethodNotAllowed {
    std::vector<std::string> allowed;
  };
  using FindResult = std::variant<Match, NotFound, MethodNotAllowed>;

  // `body_limit`: the largest request body this route takes; 0 keeps the server's default.
  // `admit`: checked on the headers before the body is read; empty admits every request.
  void Add(std::string method, std::string pattern, Handler handler, std::int64_t body_limit = 0,
           HeaderCheck admit = {});
  FindResult Find(std::string_view method, std::string_view path) const;
  // The body limit for a request to `path` (query allowed), `fallback` unless its route sets one.
  std::int64_t BodyLimit(std::string_view method, std::string_view path, std::int64_t fallback) const;
  // The header check of the route for a request to `path` (query allowed); nullptr when it has none.
  const HeaderCheck* Admission(std::string_view method, std::string_view path) const;
  // Every route, in the order they were added (the API description is checked against this).
  std::vector<RouteInfo> Routes() const;
  // The largest body limit any route sets (0 when none does).
  std::int64_t LargestBodyLimit() const { return largest_body_limit_; }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    std::int64_t body_limit = 0;
    HeaderCheck admit;
  };
  const Route* Lookup(std::string_view method, std::string_view path, std::map<std::string, std::string>* params,
                      std::vector<std::string>* allowed) const;
  std::vector<Route> routes_;
  std::int64_t largest_body_limit_ = 0;
};

}  // namespace salesboost::server
