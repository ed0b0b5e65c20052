#include "conversation/report.hpp"

#include "conversation/conversation_state.hpp"

#include <boost/json/array.hpp>
#include <cmath>
#include <map>

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

}  // namespace

json::object BuildReport(const Session& session, const std::vector<Event>& events) {
  std::map<std::string, std::pair<double, int>> sums;  // dimension -> (sum, count)
  json::array timeline;
  std::string end_reason;
  for (const auto& event : events) {
    if (event.type == "session.ready") {
      timeline.push_back(json::object{
          {"stage", event.payload.contains("stage") ? event.payload.at("stage") : "OPENING"}, {"seq", event.seq}});
    } else if (event.type == "stage.changed") {
      timeline.push_back(json::object{{"stage", event.payload.at("to")},
                                      {"seq", event.seq},
                                      {"cause", event.payload.contains("cause") ? event.payload.at("cause") : ""}});
    } else if (event.type == "turn.scored") {
      if (const auto* scores = event.payload.if_contains("scores"); scores != nullptr && scores->is_object()) {
        for (const auto& [dimension, value] : scores->as_object()) {
          if (value.is_number()) {
            auto& [sum, count] = sums[std::string(dimension)];
            sum += value.to_number<double>();
            ++count;
          }
        }
      }
    } else if (event.type == "session.ended") {
      if (const auto* reason = event.payload.if_contains("reason"); reason != nullptr && reason->is_string()) {
        end_reason = reason->get_string();
      }
    }
  }

  const ConversationState state = FoldEvents(events);
  json::array transcript;
  for (const auto& line : state.transcript) {
    transcript.push_back(
        json::object{{"seq", line.seq}, {"turn_id", line.turn_id}, {"speaker", line.speaker}, {"text", line.text}});
  }

  json::object dimensions;
  double total = 0;
  int scored = 0;
  std::string best, worst;
  double best_value = -1, worst_value = 11;
  for (const char* dimension : kDimensions) {
    const auto it = sums.find(dimension);
    if (it == sums.end() || it->second.second == 0) continue;
    const double average = it->second.first / it->second.second;
    dimensions[dimension] = Round1(average);
    total += average;
    ++scored;
    if (average > best_value) best_value = average, best = dimension;
    if (average < worst_value) worst_value = average, worst = dimension;
  }
  json::object report{{"session_id", session.id},
                      {"scenario_id", session.scenario_id},
                      {"persona_id", session.persona_id},
                      {"turns", state.turns},
                      {"final_stage", StageName(state.stage)},
                      {"final_mood", Round1(state.customer.mood * 10) / 10},
                      {"end_reason", end_reason},
                      {"overall", scored > 0 ? json::value(Round1(total / scored)) : json::value(nullptr)},
                      {"dimensions", std::move(dimensions)},
                      {"stage_timeline", std::move(timeline)},
                      {"transcript", std::move(transcript)}};
  report["strengths"] = best.empty() ? json::array{} : json::array{best};
  report["improvements"] = worst.empty() || worst == best ? json::array{} : json::array{worst};
  return report;
}

}  // namespace salesboost::conversation
