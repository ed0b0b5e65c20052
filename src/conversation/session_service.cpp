#include "conversation/session_service.hpp"

#include <boost/json/array.hpp>

#include <functional>

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

// A localised text in `language`, falling back to the other language.
std::optional<std::string> Localised(const json::object& document, std::string_view key, const std::string& language) {
  const auto* texts = document.if_contains(key);
  if (texts == nullptr || !texts->is_object() || texts->as_object().empty()) return std::nullopt;
  const auto& by_language = texts->as_object();
  const auto* text = by_language.if_contains(language);
  if (text == nullptr) text = &by_language.begin()->value();
  if (!text->is_string()) return std::nullopt;
  return std::string(text->get_string());
}

std::vector<std::string> LocalisedList(const json::object& document, std::string_view key,
                                       const std::string& language) {
  std::vector<std::string> out;
  if (const auto* list = document.if_contains(key); list != nullptr && list->is_array()) {
    for (const auto& item : list->as_array()) {
      if (!item.is_object()) continue;
      const auto& texts = item.as_object();
      const json::value* text = texts.if_contains(language);
      if (text == nullptr && !texts.empty()) text = &texts.begin()->value();
      if (text != nullptr && text->is_string()) out.emplace_back(text->get_string());
    }
  }
  return out;
}

template <typename T>
T Number(const json::object& document, std::string_view key, T fallback) {
  const auto* value = document.if_contains(key);
  if (value == nullptr || !value->is_number()) return fallback;
  boost::system::error_code ec;
  const T number = value->to_number<T>(ec);
  return ec ? fallback : number;
}

SessionReady Ready(const Session& session, const json::object& scenario, const json::object& persona,
                   std::uint64_t seed) {
  const auto& lang = session.language;
  return SessionReady{.session_id = session.id,
                      .stage = Stage::kOpening,
                      .language = lang,
                      .seed = seed,
                      .mood = Number<double>(persona, "initial_mood", 0.5),
                      .scenario = {.id = session.scenario_id,
                                   .title = Localised(scenario, "title", lang),
                                   .background = Localised(scenario, "background", lang),
                                   .goal = Localised(scenario, "goal", lang),
                                   .success_criteria = LocalisedList(scenario, "success_criteria", lang),
                                   .max_turns = Number<std::int64_t>(scenario, "max_turns", 20)},
                      .persona = {.id = session.persona_id,
                                  .name = Localised(persona, "name", lang),
                                  .title = Localised(persona, "title", lang),
                                  .difficulty = Number<std::int64_t>(persona, "difficulty", 1)}};
}

bool MayAccess(const identity::Principal& who, const Session& session) {
  return session.tenant_id == who.tenant_id && (who.IsAdmin() || session.user_id == who.user_id);
}

core::Error NoSuchSession() { return core::Error{core::ErrorCode::kNotFound, "no such session"}; }

}  // namespace

boost::asio::awaitable<core::Result<Session>> SessionService::Start(identity::Principal who, StartRequest request) {
  if (request.language != "zh" && request.language != "en") {
    co_return core::Fail(core::ErrorCode::kInvalidArgument, "language must be \"zh\" or \"en\"");
  }
  auto scenario = co_await catalog_.Scenario(who.tenant_id, request.scenario_id);
  if (!scenario) co_return core::Fail(scenario.error());
  std::vector<std::string> allowed;
  if (const auto* personas = scenario->if_contains("personas"); personas != nullptr && personas->is_array()) {
    for (const auto& id : personas->as_array()) {
      if (id.is_string()) allowed.emplace_back(id.get_string());
    }
  }
  if (allowed.empty()) co_return core::Fail(core::ErrorCode::kFailedPrecondition, "the scenario has no persona");
  const std::string persona_id = request.persona_id.value_or(allowed.front());
  if (std::find(allowed.begin(), allowed.end(), persona_id) == allowed.end()) {
    co_return core::Fail(core::ErrorCode::kInvalidArgument,
                         "persona '" + persona_id + "' is not part of scenario '" + request.scenario_id + "'");
  }
  auto persona = co_await catalog_.Persona(who.tenant_id, persona_id);
  if (!persona) co_return core::Fail(persona.error());

  Session session;
  session.id = ids_.Next();
  session.tenant_id = who.tenant_id;
  session.user_id = who.user_id;
  session.course_id = scenario->contains("course_id") ? std::string(scenario->at("course_id").as_string()) : "";
  session.scenario_id = request.scenario_id;
  session.persona_id = persona_id;
  session.language = request.language;
  // Seeds stay below 2^53 so every JSON reader keeps them exact.
  const std::uint64_t seed = request.seed.value_or(std::hash<std::string>{}(ids_.Next())) & ((1ULL << 53) - 1);
  std::vector<NewEvent> initial;
  initial.push_back(NewEvent{.turn_id = {}, .body = Ready(session, *scenario, *persona, seed)});
  co_return co_await sessions_.Create(std::move(session), std::move(initial));
}

boost::asio::awaitable<core::Result<Session>> SessionService::Get(identity::Principal who, std::string session_id) {
  auto session = co_await sessions_.Get(who.tenant_id, session_id);
  if (!session) co_return core::Fail(session.error());
  if (!MayAccess(who, *session)) co_return core::Fail(NoSuchSession());
  co_return session;
}

boost::asio::awaitable<core::Result<SessionPage>> SessionService::List(identity::Principal who, std::int64_t page,
                                                                       std::int64_t page_size) {
  const std::string user = who.IsAdmin() ? std::string() : who.user_id;
  co_return co_await sessions_.List(who.tenant_id, user, (page - 1) * page_size, page_size);
}

boost::asio::awaitable<core::Result<std::vector<Event>>> SessionService::Events(identity::Principal who,
                                                                                std::string session_id,
                                                                                std::int64_t after_seq,
                                                                                std::int64_t limit) {
  auto session = co_await Get(who, session_id);
  if (!session) co_return core::Fail(session.error());
  co_return co_await sessions_.EventsAfter(session_id, after_seq, limit);
}

boost::asio::awaitable<core::Result<json::object>> SessionService::Report(identity::Principal who,
                                                                          std::string session_id) {
  auto session = co_await Get(who, session_id);
  if (!session) co_return core::Fail(session.error());
  if (session->status == SessionStatus::kActive) {
    co_return core::Fail(core::ErrorCode::kFailedPrecondition, "the report is ready when the session ends");
  }
  auto report = co_await sessions_.LastEvent(session_id, std::string(ReportReady::kType));
  if (!report) co_return core::Fail(report.error());
  if (!*report || !(*report)->Is<ReportReady>()) {
    co_return core::Fail(core::ErrorCode::kInternal, "ended session without a report");
  }
  co_return (*report)->As<ReportReady>()->report;
}

boost::asio::awaitable<core::Result<std::vector<ReportedSession>>> SessionService::WithReports(identity::Principal who,
                                                                                               ReportFilter filter) {
  if (!who.IsAdmin()) co_return core::Fail(core::ErrorCode::kPermissionDenied, "only administrators see the team");
  co_return co_await sessions_.WithReports(who.tenant_id, std::move(filter));
}

}  // namespace salesboost::conversation
