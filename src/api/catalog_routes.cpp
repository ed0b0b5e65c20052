#include "api/catalog_routes.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>

#include "api/authenticated.hpp"
#include "api/json_body.hpp"
#include "catalog/course_file.hpp"
#include "catalog/rubric.hpp"
#include "conversation/scorecard.hpp"

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

// The rubric an admin edits: the stored one, or the generic one marked as such.
json::object StoredRubric(const json::object& scenario) {
  if (const auto* rubric = scenario.if_contains("rubric"); rubric != nullptr && rubric->is_object()) {
    return rubric->get_object();
  }
  json::object generic = catalog::DefaultRubricJson();
  generic["generic"] = true;
  return generic;
}

// 400 invalid_argument naming the first problem of `what` (and how many more), every problem in "details".
HttpResponse Problems(std::string_view what, const std::vector<std::string>& problems, const HttpRequest& request) {
  std::string message = fmt::format("{} is not valid: {}", what, problems.front());
  if (problems.size() > 1) message += fmt::format(" (and {} more, see details)", problems.size() - 1);
  return ErrorReply({core::ErrorCode::kInvalidArgument, std::move(message)}, problems, request);
}

}  // namespace

void AddCatalogRoutes(server::Router& router, identity::AuthService& auth, catalog::CatalogRepository& catalog) {
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

  router.Add(
      "GET", "/api/v1/scenarios/{id}/rubric",
      Authenticated(
          auth, [&catalog](HttpRequest request, identity::Principal principal) -> boost::asio::awaitable<HttpResponse> {
            const auto language = request.QueryParam("language");
            if (language && *language != "zh" && *language != "en") {
              co_return ErrorReply({core::ErrorCode::kInvalidArgument, "language must be \"zh\" or \"en\""}, request);
            }
            auto scenario = co_await catalog.Scenario(principal.tenant_id, request.path_params.at("id"));
            if (!scenario) co_return ErrorReply(scenario.error(), request);
            if (language)
              co_return JsonResponse(200, conversation::RubricJson(catalog::RubricOf(*scenario), *language));
            co_return JsonResponse(200, StoredRubric(*scenario));
          }));

  router.Add(
      "GET", "/api/v1/courses/{id}/file",
      Authenticated(auth, identity::Role::kAdmin,
                    [&catalog](HttpRequest request, identity::Principal admin) -> boost::asio::awaitable<HttpResponse> {
                      auto file = co_await catalog.CourseFile(admin.tenant_id, request.path_params.at("id"));
                      if (!file) co_return ErrorReply(file.error(), request);
                      co_return JsonResponse(200, *file);
                    }));

  router.Add(
      "PUT", "/api/v1/courses/{id}",
      Authenticated(auth, identity::Role::kAdmin,
                    [&catalog](HttpRequest request, identity::Principal admin) -> boost::asio::awaitable<HttpResponse> {
                      const std::string id = request.path_params.at("id");
                      auto bundle = catalog::ParseCourseFile(request.body);
                      std::vector<std::string> problems;
                      if (!bundle) {
                        problems = std::move(bundle.error().lines);
                      } else if (bundle->id != id) {
                        problems.push_back("id: must be \"" + id + "\", the course this request replaces");
                      }
                      if (!problems.empty()) {
                        co_return Problems("the course file", problems, request);
                      }
                      if (auto imported = co_await catalog.Import(admin.tenant_id, std::move(*bundle)); !imported) {
                        co_return ErrorReply(imported.error(), request);
                      }
                      auto file = co_await catalog.CourseFile(admin.tenant_id, id);
                      if (!file) co_return ErrorReply(file.error(), request);
                      co_return JsonResponse(200, *file);
                    }));

  router.Add("PUT", "/api/v1/scenarios/{id}/rubric",
             Authenticated(
                 auth, identity::Role::kAdmin,
                 [&catalog](HttpRequest request, identity::Principal admin) -> boost::asio::awaitable<HttpResponse> {
                   auto body = ParseJsonObject(request);
                   if (!body) co_return ErrorReply(body.error(), request);
                   // What GET serves for a scenario without a rubric may come back as it is.
                   body->erase("generic");
                   const auto problems = catalog::ValidateRubric(*body, "");
                   if (!problems.empty()) {
                     co_return Problems("the rubric", problems, request);
                   }
                   auto stored = co_await catalog.ReplaceRubric(admin.tenant_id, request.path_params.at("id"), *body);
                   if (!stored) co_return ErrorReply(stored.error(), request);
                   co_return JsonResponse(200, StoredRubric(*stored));
                 }));
}

}  // namespace salesboost::api
