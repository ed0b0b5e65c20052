#include "api/system_routes.hpp"

#include <sodium/utils.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <memory>

#include "build_info.hpp"

namespace salesboost::api {
namespace {

namespace json = boost::json;
using server::HttpRequest;
using server::HttpResponse;

bool TokenMatches(std::string_view offered, const std::string& expected) {
  constexpr std::string_view kBearer = "Bearer ";
  if (!offered.starts_with(kBearer)) return false;
  offered.remove_prefix(kBearer.size());
  return offered.size() == expected.size() && sodium_memcmp(offered.data(), expected.data(), expected.size()) == 0;
}

}  // namespace

void AddSystemRoutes(server::Router& router, SystemRoutesDeps deps) {
  auto shared = std::make_shared<SystemRoutesDeps>(std::move(deps));

  router.Add("GET", "/healthz", [](HttpRequest) -> boost::asio::awaitable<HttpResponse> {
    co_return HttpResponse::Json(200, R"({"status":"ok"})");
  });

  router.Add("GET", "/readyz", [shared](HttpRequest) -> boost::asio::awaitable<HttpResponse> {
    json::object checks;
    bool ready = true;
    if (shared->is_draining && shared->is_draining()) {
      ready = false;
      checks["server"] = json::object{{"ready", false}, {"detail", "shutting down"}};
    }
    for (auto* probe : shared->probes) {
      const auto result = co_await probe->Check();
      ready = ready && result.ready;
      checks[probe->Name()] = json::object{{"ready", result.ready}, {"detail", result.detail}};
    }
    json::object body{{"status", ready ? "ready" : "not_ready"}, {"checks", std::move(checks)}};
    co_return HttpResponse::Json(ready ? 200 : 503, json::serialize(body));
  });

  router.Add("GET", "/metrics", [shared](HttpRequest request) -> boost::asio::awaitable<HttpResponse> {
    if (!shared->metrics_token.empty() &&
        !TokenMatches(request.Header("authorization").value_or(""), shared->metrics_token)) {
      auto response =
          server::ErrorResponse(401, "unauthenticated", "a bearer token is required for /metrics", request.request_id);
      response.headers.emplace_back("WWW-Authenticate", "Bearer");
      co_return response;
    }
    co_return HttpResponse::Text(200, "text/plain; version=0.0.4; charset=utf-8", shared->metrics.WritePrometheus());
  });

  router.Add("GET", "/api/v1/version", [](HttpRequest) -> boost::asio::awaitable<HttpResponse> {
    json::object body{{"name", "salesboost"},
                      {"version", build_info::kVersion},
                      {"git_commit", build_info::kGitCommit},
                      {"build_type", build_info::kBuildType}};
    co_return HttpResponse::Json(200, json::serialize(body));
  });
}

}  // namespace salesboost::api
