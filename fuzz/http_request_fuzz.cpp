// The bytes of one raw HTTP/1.1 request as a connection reads them
// (server::internal::ParseRequest: the server's parser limits, the route's
// body limit, the conversion to HttpRequest), then the router lookup and the
// request accessors handlers use. The route table is the API's (patterns,
// methods and the upload route's larger body limit), with empty handlers;
// the limits are small so the fuzzer reaches them.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "core/check.hpp"
#include "server/internal/request_reader.hpp"
#include "server/router.hpp"

namespace {

using salesboost::server::HttpRequest;
using salesboost::server::HttpResponse;
using salesboost::server::Router;

Router MakeRouter() {
  struct Route {
    const char* method;
    const char* pattern;
    std::int64_t body_limit;
  };
  static constexpr Route kRoutes[] = {
      {"POST", "/api/v1/classify", 0},
      {"POST", "/api/v1/assist", 0},
      {"POST", "/api/v1/auth/login", 0},
      {"GET", "/api/v1/auth/me", 0},
      {"GET", "/api/v1/courses", 0},
      {"GET", "/api/v1/scenarios", 0},
      {"GET", "/api/v1/personas", 0},
      {"GET", "/api/v1/scenarios/{id}/rubric", 0},
      {"PUT", "/api/v1/scenarios/{id}/rubric", 0},
      {"POST", "/api/v1/knowledge/documents", 64 * 1024},
      {"GET", "/api/v1/knowledge/jobs/{id}", 0},
      {"GET", "/api/v1/knowledge/documents", 0},
      {"GET", "/api/v1/knowledge/documents/{id}", 0},
      {"DELETE", "/api/v1/knowledge/documents/{id}", 0},
      {"POST", "/api/v1/knowledge/search", 0},
      {"POST", "/api/v1/sessions", 0},
      {"GET", "/api/v1/sessions", 0},
      {"GET", "/api/v1/sessions/{id}", 0},
      {"POST", "/api/v1/sessions/{id}/end", 0},
      {"GET", "/api/v1/sessions/{id}/report", 0},
      {"GET", "/api/v1/sessions/{id}/events", 0},
      {"GET", "/healthz", 0},
      {"GET", "/readyz", 0},
      {"GET", "/metrics", 0},
      {"GET", "/api/v1/version", 0},
  };
  Router router;
  for (const auto& route : kRoutes) {
    router.Add(
        route.method, route.pattern,
        [](HttpRequest) -> boost::asio::awaitable<HttpResponse> { co_return HttpResponse{}; }, route.body_limit);
  }
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Router router = MakeRouter();
  static const salesboost::server::ServerOptions options = [] {
    salesboost::server::ServerOptions o;
    o.body_limit_bytes = 4 * 1024;
    o.header_limit_bytes = 2 * 1024;
    return o;
  }();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto request = salesboost::server::internal::ParseRequest(bytes, options, router, "127.0.0.1");
  if (!request) return 0;
  SB_CHECK(request->body.size() <= 64 * 1024);
  (void)request->Header("x-request-id");
  (void)request->QueryParam("access_token");
  (void)request->QueryParam("limit");
  const auto found = router.Find(request->method, request->path);
  if (const auto* match = std::get_if<Router::Match>(&found)) {
    SB_CHECK(match->handler != nullptr);
    for (const auto& [name, value] : match->params) SB_CHECK(!value.empty() && value.find('/') == std::string::npos);
  }
  return 0;
}
