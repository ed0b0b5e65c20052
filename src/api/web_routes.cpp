#include "api/web_routes.hpp"

#include <algorithm>

namespace salesboost::api {
namespace {

using server::HttpRequest;
using server::HttpResponse;

constexpr std::string_view kPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const WebAsset* Find(const std::vector<WebAsset>& assets, std::string_view name) {
  const auto it = std::find_if(assets.begin(), assets.end(), [&](const WebAsset& a) { return a.name == name; });
  return it == assets.end() ? nullptr : &*it;
}

// `etag` matches one of If-None-Match's comma-separated tags (or "*").
bool Matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  return if_none_match.find(etag) != std::string_view::npos;
}

HttpResponse Serve(const HttpRequest& request, const WebAsset& asset, bool immutable) {
  std::string etag(asset.hash.size() + 2, '"');  // the hash in quotes
  etag.replace(1, asset.hash.size(), asset.hash);
  HttpResponse response = Matches(request.Header("if-none-match").value_or(""), etag)
                              ? HttpResponse::Text(304, std::string(asset.content_type), "")
                              : HttpResponse::Text(200, std::string(asset.content_type), std::string(asset.content));
  response.headers.emplace_back("ETag", etag);
  response.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.headers.emplace_back("Content-Security-Policy", std::string(kPolicy));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  return response;
}

}  // namespace

void AddWebRoutes(server::Router& router, const std::vector<WebAsset>& assets) {
  router.Add("GET", "/", [&assets](HttpRequest request) -> boost::asio::awaitable<HttpResponse> {
    const WebAsset* page = Find(assets, "index.html");
    if (page == nullptr) co_return server::ErrorResponse(404, "not_found", "no web console", request.request_id);
    co_return Serve(request, *page, false);
  });
  router.Add("GET", "/assets/{file}", [&assets](HttpRequest request) -> boost::asio::awaitable<HttpResponse> {
    const std::string& name = request.path_params.at("file");
    const WebAsset* asset = name == "index.html" ? nullptr : Find(assets, name);
    if (asset == nullptr) {
      co_return server::ErrorResponse(404, "not_found", "no asset " + name, request.request_id);
    }
    const bool versioned = request.QueryParam("v").value_or("") == asset->hash;
    co_return Serve(request, *asset, versioned);
  });
}

}  // namespace salesboost::api
