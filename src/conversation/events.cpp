#include "conversation/events.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <type_traits>

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

// Readers that leave the default when a member is missing or of another kind.
void Read(const json::object& in, std::string_view key, std::string& out) {
  if (const auto* v = in.if_contains(key); v != nullptr && v->is_string()) out = v->get_string();
}
void Read(const json::object& in, std::string_view key, std::optional<std::string>& out) {
  if (const auto* v = in.if_contains(key); v != nullptr && v->is_string()) out = std::string(v->get_string());
}
void Read(const json::object& in, std::string_view key, double& out) {
  if (const auto* v = in.if_contains(key); v != nullptr && v->is_number()) out = v->to_number<double>();
}
void Read(const json::object& in, std::string_view key, std::int64_t& out) {
  if (const auto* v = in.if_contains(key); v != nullptr && v->is_int64()) out = v->get_int64();
}
void Read(const json::object& in, std::string_view key, std::uint64_t& out) {
  if (const auto* v = in.if_contains(key); v != nullptr && v->is_number()) {
    boost::system::error_code ec;
    const auto value = v->to_number<std::uint64_t>(ec);
    if (!ec) out = value;
  }
}
void Read(const json::object& in, std::string_view key, bool& out) {
  if (const auto* v = in.if_contains(key); v != nullptr && v->is_bool()) out = v->get_bool();
}
void Read(const json::object& in, std::string_view key, std::vector<std::string>& out) {
  if (const auto* v = in.if_contains(key); v != nullptr && v->is_array()) {
    for (const auto& item : v->get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  }
}
const json::object& Member(const json::object& in, std::string_view key) {
  static const json::object kEmpty;
  const auto* v = in.if_contains(key);
  return v != nullptr && v->is_object() ? v->get_object() : kEmpty;
}
const json::array& Items(const json::object& in, std::string_view key) {
  static const json::array kEmpty;
  const auto* v = in.if_contains(key);
  return v != nullptr && v->is_array() ? v->get_array() : kEmpty;
}

core::Error Unreadable(std::string_view what) {
  return core::Error{core::ErrorCode::kInternal, fmt::format("event member {} cannot be read", what)};
}

// A stage by name; absent means `fallback`.
core::Result<Stage> ReadStage(const json::object& in, std::string_view key, Stage fallback) {
  const auto* v = in.if_contains(key);
  if (v == nullptr) return fallback;
  if (!v->is_string()) return core::Fail(Unreadable(key));
  const auto stage = ParseStage(v->get_string());
  if (!stage) return core::Fail(Unreadable(key));
  return *stage;
}

json::value Optional(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}
json::array Strings(const std::vector<std::string>& items) { return json::array(items.begin(), items.end()); }

json::object FindingJson(const ComplianceFinding& f) {
  json::object out{{"rule", f.rule}, {"level", f.level}, {"excerpt", f.excerpt}};
  if (!f.message.empty()) out["message"] = f.message;
  return out;
}
ComplianceFinding ReadFinding(const json::object& in) {
  ComplianceFinding f;
  Read(in, "rule", f.rule);
  Read(in, "level", f.level);
  Read(in, "excerpt", f.excerpt);
  Read(in, "message", f.message);
  return f;
}

json::object PartJson(const PartOutcome& part, bool with_engine) {
  if (!part.ok) return json::object{{"ok", false}, {"code", part.code}, {"message", part.message}};
  if (with_engine) return json::object{{"ok", true}, {"engine", part.engine}};
  return json::object{{"ok", true}};
}
PartOutcome ReadPart(const json::object& in) {
  PartOutcome part;
  Read(in, "ok", part.ok);
  Read(in, "code", part.code);
  Read(in, "message", part.message);
  Read(in, "engine", part.engine);
  return part;
}

// Encoders: the members in the order clients have always received them.
json::object Encode(const SessionReady& e) {
  return json::object{{"session_id", e.session_id},
                      {"stage", StageName(e.stage)},
                      {"language", e.language},
                      {"seed", e.seed},
                      {"mood", e.mood},
                      {"scenario", json::object{{"id", e.scenario.id},
                                                {"title", Optional(e.scenario.title)},
                                                {"background", Optional(e.scenario.background)},
                                                {"goal", Optional(e.scenario.goal)},
                                                {"success_criteria", Strings(e.scenario.success_criteria)},
                                                {"max_turns", e.scenario.max_turns}}},
                      {"persona", json::object{{"id", e.persona.id},
                                               {"name", Optional(e.persona.name)},
                                               {"title", Optional(e.persona.title)},
                                               {"difficulty", e.persona.difficulty}}}};
}
json::object Encode(const TurnStarted& e) {
  return json::object{{"text", e.text},
                      {"turn_index", e.turn_index},
                      {"act", json::object{{"label", e.act}, {"confidence", e.act_confidence}}}};
}
json::object Encode(const NpcDelta& e) { return json::object{{"text", e.text}}; }
json::object Encode(const NpcReset& e) { return json::object{{"reason", e.reason}}; }
json::object Encode(const NpcDone& e) {
  return json::object{{"text", e.text},
                      {"intent", e.intent},
                      {"revealed", Strings(e.revealed)},
                      {"raised", Strings(e.raised)},
                      {"resolved", Strings(e.resolved)},
                      {"told", Strings(e.told)},
                      {"buying_signal", e.buying_signal},
                      {"engine", e.engine}};
}
json::object Encode(const CoachTipped& e) {
  json::array evidence;
  for (const auto& item : e.evidence) {
    evidence.push_back(json::object{{"text", item.text},
                                    {"source", item.source},
                                    {"heading", item.heading},
                                    {"score", item.score},
                                    {"citation", item.citation}});
  }
  return json::object{{"tip_type", e.tip_type},
                      {"technique", e.technique},
                      {"text", e.text},
                      {"example", e.example},
                      {"evidence", std::move(evidence)}};
}
json::object Encode(const StageChanged& e) {
  return json::object{{"from", StageName(e.from)}, {"to", StageName(e.to)}, {"cause", e.cause}};
}
json::object Encode(const MoodChanged& e) {
  return json::object{{"value", e.value}, {"delta", e.delta}, {"cause", e.cause}};
}
json::object Encode(const TurnScored& e) {
  json::object out;
  if (e.compliance) {
    json::array findings;
    for (const auto& f : e.compliance->findings) findings.push_back(FindingJson(f));
    out["compliance"] = json::object{{"level", e.compliance->level}, {"findings", std::move(findings)}};
  }
  json::object scores;
  json::object reasons;
  for (const auto& d : e.dimensions) {
    scores[d.name] = d.score;
    reasons[d.name] = d.reason;
  }
  out["scores"] = std::move(scores);
  out["reasons"] = std::move(reasons);
  if (!e.criteria.empty()) {
    json::array criteria;
    criteria.reserve(e.criteria.size());
    for (const auto& c : e.criteria) criteria.push_back(json::object{{"id", c.id}, {"result", c.result}});
    out["criteria"] = std::move(criteria);
  }
  return out;
}
json::object Encode(const ComplianceFlagged& e) {
  json::object out{
      {"side", e.side}, {"rule", e.finding.rule}, {"level", e.finding.level}, {"excerpt", e.finding.excerpt}};
  if (!e.finding.message.empty()) out["message"] = e.finding.message;
  return out;
}
json::object Encode(const TurnDone& e) {
  return json::object{{"turn_index", e.turn_index},
                      {"act", e.act},
                      {"parts", json::object{{"npc", PartJson(e.npc, true)},
                                             {"coach", PartJson(e.coach, false)},
                                             {"compliance", PartJson(e.compliance, false)},
                                             {"evaluator", PartJson(e.evaluator, false)}}}};
}
json::object Encode(const TurnAborted& e) { return json::object{{"reason", e.reason}}; }
json::object Encode(const SessionEnded& e) { return json::object{{"reason", e.reason}}; }
json::object Encode(const ReportReady& e) { return json::object{{"report", e.report}}; }

// Decoders.
core::Result<EventBody> Decode(SessionReady e, const json::object& in) {
  Read(in, "session_id", e.session_id);
  auto stage = ReadStage(in, "stage", Stage::kOpening);
  if (!stage) return core::Fail(stage.error());
  e.stage = *stage;
  Read(in, "language", e.language);
  Read(in, "seed", e.seed);
  Read(in, "mood", e.mood);
  const auto& scenario = Member(in, "scenario");
  Read(scenario, "id", e.scenario.id);
  Read(scenario, "title", e.scenario.title);
  Read(scenario, "background", e.scenario.background);
  Read(scenario, "goal", e.scenario.goal);
  Read(scenario, "success_criteria", e.scenario.success_criteria);
  Read(scenario, "max_turns", e.scenario.max_turns);
  const auto& persona = Member(in, "persona");
  Read(persona, "id", e.persona.id);
  Read(persona, "name", e.persona.name);
  Read(persona, "title", e.persona.title);
  Read(persona, "difficulty", e.persona.difficulty);
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(TurnStarted e, const json::object& in) {
  Read(in, "text", e.text);
  Read(in, "turn_index", e.turn_index);
  const auto& act = Member(in, "act");
  Read(act, "label", e.act);
  Read(act, "confidence", e.act_confidence);
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(NpcDelta e, const json::object& in) {
  Read(in, "text", e.text);
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(NpcReset e, const json::object& in) {
  Read(in, "reason", e.reason);
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(NpcDone e, const json::object& in) {
  Read(in, "text", e.text);
  Read(in, "intent", e.intent);
  Read(in, "revealed", e.revealed);
  Read(in, "raised", e.raised);
  Read(in, "resolved", e.resolved);
  Read(in, "told", e.told);
  Read(in, "buying_signal", e.buying_signal);
  Read(in, "engine", e.engine);
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(CoachTipped e, const json::object& in) {
  Read(in, "tip_type", e.tip_type);
  Read(in, "technique", e.technique);
  Read(in, "text", e.text);
  Read(in, "example", e.example);
  for (const auto& item : Items(in, "evidence")) {
    if (!item.is_object()) continue;
    Evidence evidence;
    Read(item.get_object(), "text", evidence.text);
    Read(item.get_object(), "source", evidence.source);
    Read(item.get_object(), "heading", evidence.heading);
    Read(item.get_object(), "score", evidence.score);
    Read(item.get_object(), "citation", evidence.citation);
    e.evidence.push_back(std::move(evidence));
  }
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(StageChanged e, const json::object& in) {
  auto from = ReadStage(in, "from", Stage::kOpening);
  auto to = ReadStage(in, "to", Stage::kOpening);
  if (!from) return core::Fail(from.error());
  if (!to) return core::Fail(to.error());
  e.from = *from;
  e.to = *to;
  Read(in, "cause", e.cause);
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(MoodChanged e, const json::object& in) {
  Read(in, "value", e.value);
  Read(in, "delta", e.delta);
  Read(in, "cause", e.cause);
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(TurnScored e, const json::object& in) {
  if (const auto* compliance = in.if_contains("compliance"); compliance != nullptr && compliance->is_object()) {
    ComplianceReport report;
    Read(compliance->get_object(), "level", report.level);
    for (const auto& f : Items(compliance->get_object(), "findings")) {
      if (f.is_object()) report.findings.push_back(ReadFinding(f.get_object()));
    }
    e.compliance = std::move(report);
  }
  const auto& reasons = Member(in, "reasons");
  for (const auto& [name, value] : Member(in, "scores")) {
    if (!value.is_number()) continue;
    TurnScored::Dimension d{.name = std::string(name), .score = value.to_number<double>(), .reason = {}};
    Read(reasons, name, d.reason);
    e.dimensions.push_back(std::move(d));
  }
  for (const auto& c : Items(in, "criteria")) {
    if (!c.is_object()) continue;
    TurnScored::Criterion criterion;
    Read(c.get_object(), "id", criterion.id);
    Read(c.get_object(), "result", criterion.result);
    e.criteria.push_back(std::move(criterion));
  }
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(ComplianceFlagged e, const json::object& in) {
  Read(in, "side", e.side);
  e.finding = ReadFinding(in);
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(TurnDone e, const json::object& in) {
  Read(in, "turn_index", e.turn_index);
  Read(in, "act", e.act);
  const auto& parts = Member(in, "parts");
  e.npc = ReadPart(Member(parts, "npc"));
  e.coach = ReadPart(Member(parts, "coach"));
  e.compliance = ReadPart(Member(parts, "compliance"));
  e.evaluator = ReadPart(Member(parts, "evaluator"));
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(TurnAborted e, const json::object& in) {
  Read(in, "reason", e.reason);
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(SessionEnded e, const json::object& in) {
  Read(in, "reason", e.reason);
  return EventBody(std::move(e));
}
core::Result<EventBody> Decode(ReportReady e, const json::object& in) {
  e.report = Member(in, "report");
  return EventBody(std::move(e));
}

// Tries each alternative of the variant in turn.
template <std::size_t I = 0>
core::Result<EventBody> DecodeAt(std::string_view type, const json::object& members) {
  if constexpr (I == std::variant_size_v<EventBody>) {
    return core::Fail(core::ErrorCode::kInternal, fmt::format("unknown event type \"{}\"", type));
  } else {
    using Body = std::variant_alternative_t<I, EventBody>;
    if (type == Body::kType) return Decode(Body{}, members);
    return DecodeAt<I + 1>(type, members);
  }
}

}  // namespace

std::string_view TypeOf(const EventBody& body) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kType; }, body);
}

json::object EncodeBody(const EventBody& body) {
  return std::visit([](const auto& e) { return Encode(e); }, body);
}

core::Result<EventBody> DecodeBody(std::string_view type, const json::object& members) {
  return DecodeAt(type, members);
}

json::object EventJson(const Event& event) {
  json::object members = EncodeBody(event.body);
  json::object out;
  out.reserve(members.size() + 3);
  out["type"] = event.Type();
  out["seq"] = event.seq;
  if (!event.turn_id.empty()) out["turn_id"] = event.turn_id;
  for (auto& [key, value] : members) out[key] = std::move(value);
  return out;
}

std::string EventText(const Event& event) { return json::serialize(EventJson(event)); }

}  // namespace salesboost::conversation
