// Router: maps (method, path) to a handler. Patterns are literal segments and
// {name} captures: "/api/v1/sessions/{id}". Registration happens at wiring
// time; Find is then read-only and thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "server/http_message.hpp"

namespace salesboost::server {

using Handler = std::function<boost::asio::awaitable<HttpResponse>(HttpRequest)>;

class Router {
 public:
  struct Match {
    const Handler* handler = nullptr;
    std::string route;  // the pattern, used as the metrics label
    std::map<std::string, std::string> params;
  };
  struct NotFound {};
  struct MethodNotAllowed {
    std::vector<std::string> allowed;
  };
  using FindResult = std::variant<Match, NotFound, MethodNotAllowed>;

  void Add(std::string method, std::string pattern, Handler handler);
  FindResult Find(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace salesboost::server
