#include "api/catalog_routes.hpp"

#include <boost/json/array.hpp>

#include "api/authenticated.hpp"
#include "api/json_body.hpp"

namespace salesboost::api {
namespace {

namespace json = boost::json;
using server::HttpRequest;
using server::HttpResponse;

HttpResponse ListResponse(std::string_view key, std::vector<json::object> items) {
  json::array array;
  array.reserve(items.size());
  for (auto& item : items) array.emplace_back(std::move(item));
  return JsonResponse(200, json::object{{key, std::move(array)}});
}

}  // namespace

void AddCatalogRoutes(server::Router& router, const identity::AuthService& auth, catalog::CatalogRepository& catalog) {
  router.Add(
      "GET", "/api/v1/courses",
      Authenticated(
          auth, [&catalog](HttpRequest request, identity::Principal principal) -> boost::asio::awaitable<HttpResponse> {
            auto courses = co_await catalog.Courses(principal.tenant_id);
            if (!courses) co_return server::ErrorResponse(courses.error(), request.request_id);
            co_return ListResponse("courses", std::move(*courses));
          }));

  router.Add(
      "GET", "/api/v1/scenarios",
      Authenticated(
          auth, [&catalog](HttpRequest request, identity::Principal principal) -> boost::asio::awaitable<HttpResponse> {
            const auto course_id = request.QueryParam("course_id");
            if (!course_id || course_id->empty()) {
              co_return server::ErrorResponse(core::Error{core::ErrorCode::kInvalidArgument, "course_id is required"},
                                              request.request_id);
            }
            auto scenarios = co_await catalog.Scenarios(principal.tenant_id, *course_id);
            if (!scenarios) co_return server::ErrorResponse(scenarios.error(), request.request_id);
            co_return ListResponse("scenarios", std::move(*scenarios));
          }));

  router.Add(
      "GET", "/api/v1/personas",
      Authenticated(
          auth, [&catalog](HttpRequest request, identity::Principal principal) -> boost::asio::awaitable<HttpResponse> {
            const auto scenario_id = request.QueryParam("scenario_id");
            if (!scenario_id || scenario_id->empty()) {
              co_return server::ErrorResponse(core::Error{core::ErrorCode::kInvalidArgument, "scenario_id is required"},
                                              request.request_id);
            }
            auto personas = co_await catalog.Personas(principal.tenant_id, *scenario_id);
            if (!personas) co_return server::ErrorResponse(personas.error(), request.request_id);
            co_return ListResponse("personas", std::move(*personas));
          }));
}

}  // namespace salesboost::api
