#include "conversation/report.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cmath>
#include <map>
#include <string>

#include "conversation/conversation_state.hpp"

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

// How good a turn was: the mean of its dimensions, less three points for a
// warning and six for a blocker in the trainee's words.
double Quality(const TurnRecord& turn) {
  double sum = 0;
  for (const auto& [dimension, score] : turn.scores) sum += score;
  double quality = turn.scores.empty() ? 5 : sum / static_cast<double>(turn.scores.size());
  for (const auto& finding : turn.findings) quality -= finding.level == "BLOCK" ? 6 : 3;
  return quality;
}

// The reason of the turn's best (or worst) dimension; compliance only speaks when it is the worst
// (a clean check is no strength).
std::string DimensionReason(const TurnRecord& turn, bool best) {
  auto pick = turn.scores.end();
  for (auto it = turn.scores.begin(); it != turn.scores.end(); ++it) {
    if (best && it->first == "compliance") continue;
    if (pick == turn.scores.end() || (best ? it->second > pick->second : it->second < pick->second)) pick = it;
  }
  if (pick == turn.scores.end()) return {};
  const auto reason = turn.reasons.find(pick->first);
  return reason == turn.reasons.end() ? std::string() : reason->second;
}

json::object TurnQuote(const TurnRecord& turn, std::string why) {
  return json::object{{"turn_id", turn.turn_id},
                      {"seq", turn.seq},
                      {"turn_index", turn.index},
                      {"quote", turn.text},
                      {"score", Round1(std::clamp(Quality(turn), 0.0, 10.0))},
                      {"why", std::move(why)}};
}

// The trainee's strongest and weakest turns. A greeting is only a candidate
// when there is nothing else; the strongest breaks no rule; the weakest is
// another turn than the strongest.
std::pair<json::value, json::value> StrongestAndWeakest(const std::vector<TurnRecord>& turns) {
  std::vector<const TurnRecord*> candidates;
  for (const auto& turn : turns) {
    if (turn.act != "greeting") candidates.push_back(&turn);
  }
  if (candidates.empty()) {
    for (const auto& turn : turns) candidates.push_back(&turn);
  }
  const TurnRecord* strongest = nullptr;
  for (const auto* turn : candidates) {
    if (!turn->findings.empty()) continue;
    if (strongest == nullptr || Quality(*turn) > Quality(*strongest)) strongest = turn;
  }
  const TurnRecord* weakest = nullptr;
  for (const auto* turn : candidates) {
    if (turn == strongest) continue;
    if (weakest == nullptr || Quality(*turn) < Quality(*weakest)) weakest = turn;
  }
  json::value best = nullptr;
  json::value worst = nullptr;
  if (strongest != nullptr) best = TurnQuote(*strongest, DimensionReason(*strongest, true));
  if (weakest != nullptr && (strongest == nullptr || Quality(*weakest) < Quality(*strongest))) {
    worst = TurnQuote(*weakest, weakest->findings.empty()
                                    ? DimensionReason(*weakest, false)
                                    : (weakest->findings.front().message.empty() ? weakest->findings.front().rule
                                                                                 : weakest->findings.front().message));
  }
  return {std::move(best), std::move(worst)};
}

json::object CriterionJson(const CriterionResult& c) {
  json::object out{{"criterion", c.id}, {"title", c.title}, {"result", c.result},
                   {"level", c.level},  {"why", c.why},     {"skill", c.skill}};
  if (!c.turn_id.empty()) {
    out["turn_id"] = c.turn_id;
    out["quote"] = c.quote;
  }
  return out;
}

}  // namespace

json::object BuildReport(const Session& session, const std::vector<Event>& events, const Scorecard& card) {
  json::array timeline;
  std::vector<const Event*> flagged;
  std::map<std::string, std::vector<double>> by_dimension;
  for (const auto& event : events) {
    if (const auto* ready = event.As<SessionReady>()) {
      timeline.push_back(json::object{{"stage", StageName(ready->stage)}, {"seq", event.seq}});
    } else if (const auto* changed = event.As<StageChanged>()) {
      timeline.push_back(
          json::object{{"stage", StageName(changed->to)}, {"seq", event.seq}, {"cause", changed->cause}});
    } else if (event.Is<ComplianceFlagged>()) {
      flagged.push_back(&event);
    }
  }
  const ConversationState state = FoldEvents(events);
  const auto turns = CommittedTurns(events);

  json::array transcript;
  std::map<std::string, std::string> said;  // turn id -> the trainee's words
  for (const auto& line : state.transcript) {
    transcript.push_back(
        json::object{{"seq", line.seq}, {"turn_id", line.turn_id}, {"speaker", line.speaker}, {"text", line.text}});
    if (line.speaker == "trainee") said[line.turn_id] = line.text;
  }
  for (const auto& turn : turns) {
    for (const auto& [dimension, score] : turn.scores) by_dimension[dimension].push_back(score);
  }
  json::object dimensions;
  for (const char* dimension : kDimensions) {
    const auto it = by_dimension.find(dimension);
    if (it == by_dimension.end() || it->second.empty()) continue;
    double sum = 0;
    for (const double score : it->second) sum += score;
    dimensions[dimension] = Round1(sum / static_cast<double>(it->second.size()));
  }

  // Strengths: the criteria met; improvements: the rest, heaviest first.
  std::vector<const CriterionResult*> missed;
  json::array strengths;
  for (const auto& c : card.criteria) {
    if (c.result == "met") {
      strengths.push_back(CriterionJson(c));
    } else {
      missed.push_back(&c);
    }
  }
  std::stable_sort(missed.begin(), missed.end(), [](const CriterionResult* x, const CriterionResult* y) {
    return x->weight * (1 - x->points) > y->weight * (1 - y->points);
  });
  json::array improvements;
  for (const auto* c : missed) improvements.push_back(CriterionJson(*c));

  json::array violations;
  for (const Event* event : flagged) {
    const auto& flag = *event->As<ComplianceFlagged>();
    json::object violation = EncodeBody(flag);
    violation["turn_id"] = event->turn_id;
    violation["seq"] = event->seq;
    if (flag.side == "trainee") {
      const auto it = said.find(event->turn_id);
      violation["quote"] = it == said.end() ? std::string() : it->second;
    }
    violations.push_back(std::move(violation));
  }
  json::array slots;
  for (const auto& slot : SlotTable()) {
    slots.push_back(json::object{{"name", slot.name},
                                 {"stage", StageName(slot.stage)},
                                 {"required", slot.required},
                                 {"filled", state.slots.*slot.value}});
  }
  auto [strongest, weakest] = StrongestAndWeakest(turns);
  return json::object{{"session_id", session.id},
                      {"scenario_id", session.scenario_id},
                      {"persona_id", session.persona_id},
                      {"language", session.language},
                      {"turns", state.turns},
                      {"final_stage", StageName(state.stage)},
                      {"final_mood", Round1(state.customer.mood * 10) / 10},
                      {"end_reason", card.outcome.result},
                      {"overall", card.overall ? json::value(*card.overall) : json::value(nullptr)},
                      {"scorecard", ScorecardJson(card)},
                      {"strengths", std::move(strengths)},
                      {"improvements", std::move(improvements)},
                      {"strongest_turn", std::move(strongest)},
                      {"weakest_turn", std::move(weakest)},
                      {"violations", std::move(violations)},
                      {"dimensions", std::move(dimensions)},
                      {"stage_timeline", std::move(timeline)},
                      {"slots", std::move(slots)},
                      {"transcript", std::move(transcript)}};
}

}  // namespace salesboost::conversation
