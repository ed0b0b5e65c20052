// One event of every type with every member set, for codec round trips
// (tests/unit/events_test.cpp, and through the Redis adapters).
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "conversation/events.hpp"

namespace salesboost::testing {

inline std::vector<conversation::EventBody> EveryEventBody() {
  using namespace conversation;
  return {
      SessionReady{.session_id = "s1",
                   .stage = Stage::kOpening,
                   .language = "zh",
                   .seed = (1ULL << 53) - 1,
                   .mood = 0.4,
                   .scenario = {.id = "sc",
                                .title = "标题",
                                .background = std::nullopt,
                                .goal = "close",
                                .success_criteria = {"a", "b"},
                                .max_turns = 12},
                   .persona = {.id = "p", .name = "Anna", .title = std::nullopt, .difficulty = 3}},
      TurnStarted{.text = "你好", .turn_index = 2, .act = "greeting", .act_confidence = 0.75},
      NpcDelta{.text = "Hel"},
      NpcReset{.reason = "compliance"},
      NpcDone{.text = "Hello",
              .intent = "greeting",
              .revealed = {"n1"},
              .raised = {"price"},
              .resolved = {},
              .told = {"staff-size"},
              .buying_signal = true,
              .engine = "offline"},
      CoachTipped{.tip_type = "suggestion",
                  .technique = "SPIN",
                  .text = "Ask",
                  .example = "Why?",
                  .evidence = {{.text = "fact",
                                .source = "sheet.pdf",
                                .heading = "Fees",
                                .score = 2.5,
                                .citation = "sheet.pdf, pp. 1-2"}}},
      StageChanged{.from = Stage::kOpening, .to = Stage::kNeedsDiscovery, .cause = "open_question"},
      MoodChanged{.value = 0.55, .delta = 0.05, .cause = "rapport"},
      TurnScored{
          .compliance =
              ComplianceReport{.level = "WARN",
                               .findings = {{.rule = "pressure", .level = "WARN", .excerpt = "now", .message = {}}}},
          .dimensions = {{.name = "relevance", .score = 8, .reason = "on topic"},
                         {.name = "compliance", .score = 7, .reason = "1 finding"}},
          .criteria = {{.id = "two-needs", .result = "met"}, {.id = "next-step", .result = "not_met"}}},
      ComplianceFlagged{.side = "customer",
                        .finding = {.rule = "pressure", .level = "WARN", .excerpt = "now", .message = {}}},
      TurnDone{.turn_index = 2,
               .act = "greeting",
               .npc = {.ok = true, .code = {}, .message = {}, .engine = "deepseek"},
               .coach = {.ok = false, .code = "deadline_exceeded", .message = "slow", .engine = {}},
               .compliance = {.ok = true, .code = {}, .message = {}, .engine = {}},
               .evaluator = {.ok = true, .code = {}, .message = {}, .engine = {}}},
      TurnAborted{.reason = "deadline"},
      SessionEnded{.reason = "won"},
      ReportReady{.report = boost::json::object{{"overall", 7.5}}},
  };
}

// Every event type with seqs from `first_seq`, a turn id and a creation time.
inline std::vector<conversation::Event> EveryEvent(std::int64_t first_seq = 1) {
  std::vector<conversation::Event> events;
  for (auto& body : EveryEventBody()) {
    conversation::Event event;
    event.seq = first_seq++;
    event.turn_id = event.seq % 2 == 0 ? "t-" + std::to_string(event.seq) : "";
    event.created_at = "2026-12-04T10:00:0" + std::to_string(event.seq % 10) + "Z";
    event.body = std::move(body);
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace salesboost::testing
