#include "api/session_routes.hpp"

#include <boost/json/array.hpp>
#include <charconv>

#include "api/authenticated.hpp"
#include "api/json_body.hpp"
#include "conversation/team_summary.hpp"

namespace salesboost::api {
namespace {

namespace json = boost::json;
using server::HttpRequest;
using server::HttpResponse;

// An integer query parameter in [min, max], or `fallback` when absent.
core::Result<std::int64_t> IntParam(const HttpRequest& request, std::string_view name, std::int64_t fallback,
                                    std::int64_t min, std::int64_t max) {
  const auto text = request.QueryParam(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    return core::Fail(core::ErrorCode::kInvalidArgument, std::string(name) + " must be an integer from " +
                                                             std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

json::array EventsJson(const std::vector<conversation::Event>& events) {
  json::array out;
  out.reserve(events.size());
  for (const auto& event : events) out.push_back(conversation::EventJson(event));
  return out;
}

// The team view's filter from `course_id` and `days` (1-3650).
core::Result<conversation::ReportFilter> TeamFilter(const HttpRequest& request) {
  auto days = IntParam(request, "days", 0, 1, 3650);
  if (!days) return core::Fail(days.error());
  const auto course = request.QueryParam("course_id");
  if (course && course->size() > 64) return core::Fail(core::ErrorCode::kInvalidArgument, "course_id is too long");
  return conversation::ReportFilter{.course_id = course ? std::string(*course) : std::string(), .days = *days};
}

std::vector<conversation::TeamMember> Members(const std::vector<identity::User>& users) {
  std::vector<conversation::TeamMember> members;
  members.reserve(users.size());
  for (const auto& user : users) {
    members.push_back(conversation::TeamMember{.user_id = user.id,
                                               .username = user.username,
                                               .display_name = user.display_name,
                                               .trainee = user.role == identity::Role::kTrainee});
  }
  return members;
}

}  // namespace

void AddSessionRoutes(server::Router& router, identity::AuthService& auth, conversation::SessionService& sessions,
                      conversation::TurnCoordinator& coordinator, core::BlockingPool& blocking) {
  router.Add(
      "POST", "/api/v1/sessions",
      Authenticated(auth, [&](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
        auto body = ParseJsonObject(request);
        if (!body) co_return ErrorReply(body.error(), request);
        auto scenario = RequiredString(*body, "scenario_id", 64);
        if (!scenario) co_return ErrorReply(scenario.error(), request);
        auto persona = OptionalString(*body, "persona_id", 64);
        if (!persona) co_return ErrorReply(persona.error(), request);
        auto language = OptionalString(*body, "language", 2);
        if (!language) co_return ErrorReply(language.error(), request);
        std::optional<std::uint64_t> seed;
        if (const auto* value = body->if_contains("seed"); value != nullptr && !value->is_null()) {
          if (!value->is_int64() || value->get_int64() < 0 || value->get_int64() >= (std::int64_t{1} << 53)) {
            const core::Error bad{core::ErrorCode::kInvalidArgument, "seed must be an integer from 0 to 2^53-1"};
            co_return ErrorReply(bad, request);
          }
          seed = static_cast<std::uint64_t>(value->get_int64());
        }
        conversation::StartRequest start{
            .scenario_id = *scenario, .persona_id = *persona, .language = language->value_or("zh"), .seed = seed};
        auto session = co_await sessions.Start(who, std::move(start));
        if (!session) co_return ErrorReply(session.error(), request);
        co_return JsonResponse(201, conversation::SessionJson(*session));
      }));

  router.Add(
      "GET", "/api/v1/sessions",
      Authenticated(auth, [&](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
        auto page = IntParam(request, "page", 1, 1, 1'000'000);
        if (!page) co_return ErrorReply(page.error(), request);
        auto size = IntParam(request, "page_size", 20, 1, 100);
        if (!size) co_return ErrorReply(size.error(), request);
        auto listed = co_await sessions.List(who, *page, *size);
        if (!listed) co_return ErrorReply(listed.error(), request);
        json::array items;
        for (const auto& session : listed->sessions) items.push_back(conversation::SessionJson(session));
        co_return JsonResponse(
            200, json::object{
                     {"sessions", std::move(items)}, {"page", *page}, {"page_size", *size}, {"total", listed->total}});
      }));

  router.Add(
      "GET", "/api/v1/sessions/{id}",
      Authenticated(auth, [&](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
        auto session = co_await sessions.Get(who, request.path_params.at("id"));
        if (!session) co_return ErrorReply(session.error(), request);
        co_return JsonResponse(200, conversation::SessionJson(*session));
      }));

  router.Add(
      "POST", "/api/v1/sessions/{id}/end",
      Authenticated(auth, [&](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
        const std::string id = request.path_params.at("id");
        auto ended = co_await coordinator.End(who, id, "trainee");
        if (!ended) co_return ErrorReply(ended.error(), request);
        json::object body{{"session", conversation::SessionJson(ended->session)}};
        for (const auto& event : ended->events) {
          if (const auto* ready = event.As<conversation::ReportReady>()) body["report"] = ready->report;
        }
        co_return JsonResponse(200, body);
      }));

  router.Add(
      "GET", "/api/v1/sessions/{id}/report",
      Authenticated(auth, [&](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
        auto report = co_await sessions.Report(who, request.path_params.at("id"));
        if (!report) co_return ErrorReply(report.error(), request);
        co_return JsonResponse(200, *report);
      }));

  router.Add(
      "GET", "/api/v1/sessions/{id}/events",
      Authenticated(auth, [&](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
        auto after = IntParam(request, "after_seq", 0, 0, std::numeric_limits<std::int64_t>::max());
        if (!after) co_return ErrorReply(after.error(), request);
        auto events = co_await sessions.Events(who, request.path_params.at("id"), *after, 1000);
        if (!events) co_return ErrorReply(events.error(), request);
        co_return JsonResponse(200, json::object{{"events", EventsJson(*events)}});
      }));

  router.Add(
      "GET", "/api/v1/team",
      Authenticated(auth, identity::Role::kAdmin,
                    [&](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
                      auto filter = TeamFilter(request);
                      if (!filter) co_return ErrorReply(filter.error(), request);
                      const std::string language(request.QueryParam("language").value_or("en"));
                      if (language != "en" && language != "zh") {
                        const core::Error bad{core::ErrorCode::kInvalidArgument, "language must be \"zh\" or \"en\""};
                        co_return ErrorReply(bad, request);
                      }
                      auto users = co_await auth.ListUsers(who.tenant_id);
                      if (!users) co_return ErrorReply(users.error(), request);
                      auto reported = co_await sessions.WithReports(who, *filter);
                      if (!reported) co_return ErrorReply(reported.error(), request);
                      auto summarise = [&reported, members = Members(*users), language] {
                        return conversation::TeamSummary(*reported, members, language);
                      };
                      const auto summary = co_await blocking.Run(std::move(summarise));
                      co_return JsonResponse(200, summary);
                    }));

  router.Add("GET", "/api/v1/team.csv",
             Authenticated(auth, identity::Role::kAdmin,
                           [&](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
                             auto filter = TeamFilter(request);
                             if (!filter) co_return ErrorReply(filter.error(), request);
                             auto users = co_await auth.ListUsers(who.tenant_id);
                             if (!users) co_return ErrorReply(users.error(), request);
                             auto reported = co_await sessions.WithReports(who, *filter);
                             if (!reported) co_return ErrorReply(reported.error(), request);
                             auto write = [&reported, members = Members(*users)] {
                               return conversation::TeamCsv(*reported, members);
                             };
                             auto csv = co_await blocking.Run(std::move(write));
                             auto reply = HttpResponse::Text(200, "text/csv; charset=utf-8", std::move(csv));
                             reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"team.csv\"");
                             co_return reply;
                           }));
}

}  // namespace salesboost::api
