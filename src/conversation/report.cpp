#include "conversation/report.hpp"

#include "conversation/conversation_state.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cmath>
#include <map>
#include <string>

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

}  // namespace

json::object BuildReport(const Session& session, const std::vector<Event>& events) {
  struct TurnScore {
    std::string turn_id;
    double score = 0;
    std::string reason;
  };
  std::map<std::string, std::vector<TurnScore>> by_dimension;
  json::array timeline;
  std::vector<const Event*> flagged;
  std::string end_reason;
  for (const auto& event : events) {
    if (const auto* ready = event.As<SessionReady>()) {
      timeline.push_back(json::object{{"stage", StageName(ready->stage)}, {"seq", event.seq}});
    } else if (const auto* changed = event.As<StageChanged>()) {
      timeline.push_back(
          json::object{{"stage", StageName(changed->to)}, {"seq", event.seq}, {"cause", changed->cause}});
    } else if (const auto* scored = event.As<TurnScored>()) {
      for (const auto& d : scored->dimensions) {
        by_dimension[d.name].push_back(TurnScore{.turn_id = event.turn_id, .score = d.score, .reason = d.reason});
      }
    } else if (event.Is<ComplianceFlagged>()) {
      flagged.push_back(&event);
    } else if (const auto* ended = event.As<SessionEnded>()) {
      end_reason = ended->reason;
    }
  }

  const ConversationState state = FoldEvents(events);
  json::array transcript;
  std::map<std::string, std::string> said;  // turn id -> the trainee's words
  for (const auto& line : state.transcript) {
    transcript.push_back(
        json::object{{"seq", line.seq}, {"turn_id", line.turn_id}, {"speaker", line.speaker}, {"text", line.text}});
    if (line.speaker == "trainee") said[line.turn_id] = line.text;
  }
  auto quote = [&](const std::string& turn_id) {
    const auto it = said.find(turn_id);
    return it == said.end() ? std::string() : it->second;
  };

  struct Average {
    std::string dimension;
    double value = 0;
  };
  std::vector<Average> averages;
  json::object dimensions;
  double total = 0;
  for (const char* dimension : kDimensions) {
    const auto it = by_dimension.find(dimension);
    if (it == by_dimension.end() || it->second.empty()) continue;
    double sum = 0;
    for (const auto& turn : it->second) sum += turn.score;
    const double average = sum / static_cast<double>(it->second.size());
    dimensions[dimension] = Round1(average);
    total += average;
    averages.push_back({dimension, average});
  }
  // Strengths: the best dimensions (7 or more), quoting the best turn in each;
  // improvements: the weakest (under 7), quoting the worst turn and its reason.
  std::sort(averages.begin(), averages.end(), [](const Average& x, const Average& y) { return x.value > y.value; });
  json::array strengths;
  json::array improvements;
  auto cite = [&](const Average& average, bool best) {
    const auto& turns = by_dimension[average.dimension];
    const auto pick = best ? std::max_element(turns.begin(), turns.end(),
                                              [](const TurnScore& x, const TurnScore& y) { return x.score < y.score; })
                           : std::min_element(turns.begin(), turns.end(),
                                              [](const TurnScore& x, const TurnScore& y) { return x.score < y.score; });
    return json::object{{"dimension", average.dimension},
                        {"score", Round1(average.value)},
                        {"reason", pick->reason},
                        {"turn_id", pick->turn_id},
                        {"quote", quote(pick->turn_id)}};
  };
  for (std::size_t i = 0; i < averages.size() && strengths.size() < 2; ++i) {
    if (averages[i].value >= 7) strengths.push_back(cite(averages[i], true));
  }
  for (std::size_t i = averages.size(); i-- > 0 && improvements.size() < 2;) {
    if (averages[i].value < 7) improvements.push_back(cite(averages[i], false));
  }
  json::array violations;
  for (const Event* event : flagged) {
    const auto& flag = *event->As<ComplianceFlagged>();
    json::object violation = EncodeBody(flag);
    violation["turn_id"] = event->turn_id;
    violation["seq"] = event->seq;
    if (flag.side == "trainee") violation["quote"] = quote(event->turn_id);
    violations.push_back(std::move(violation));
  }
  json::array slots;
  for (const auto& slot : SlotTable()) {
    slots.push_back(json::object{{"name", slot.name},
                                 {"stage", StageName(slot.stage)},
                                 {"required", slot.required},
                                 {"filled", state.slots.*slot.value}});
  }
  const auto scored = static_cast<double>(averages.size());
  return json::object{{"session_id", session.id},
                      {"scenario_id", session.scenario_id},
                      {"persona_id", session.persona_id},
                      {"turns", state.turns},
                      {"final_stage", StageName(state.stage)},
                      {"final_mood", Round1(state.customer.mood * 10) / 10},
                      {"end_reason", end_reason},
                      {"overall", scored > 0 ? json::value(Round1(total / scored)) : json::value(nullptr)},
                      {"dimensions", std::move(dimensions)},
                      {"strengths", std::move(strengths)},
                      {"improvements", std::move(improvements)},
                      {"violations", std::move(violations)},
                      {"stage_timeline", std::move(timeline)},
                      {"slots", std::move(slots)},
                      {"transcript", std::move(transcript)}};
}

}  // namespace salesboost::conversation
