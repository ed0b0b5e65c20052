#include "conversation/stage.hpp"

#include <array>
#include <utility>

namespace salesboost::conversation {
namespace {

constexpr std::array<std::pair<Stage, std::string_view>, 7> kNames = {{
    {Stage::kOpening, "OPENING"},
    {Stage::kNeedsDiscovery, "NEEDS_DISCOVERY"},
    {Stage::kProductIntro, "PRODUCT_INTRO"},
    {Stage::kObjectionHandling, "OBJECTION_HANDLING"},
    {Stage::kClosing, "CLOSING"},
    {Stage::kCompleted, "COMPLETED"},
    {Stage::kFailed, "FAILED"},
}};

bool IsQuestion(std::string_view act) {
  return act == "open_question" || act == "closed_question" || act == "needs_summary";
}
bool IsPitch(std::string_view act) { return act == "value_statement" || act == "evidence"; }
bool IsClose(std::string_view act) { return act == "trial_close" || act == "close"; }

StageChange To(Stage to, std::string_view act) { return StageChange{to, "act:" + std::string(act)}; }

}  // namespace

std::string_view StageName(Stage stage) {
  for (const auto& [value, name] : kNames) {
    if (value == stage) return name;
  }
  return "UNKNOWN";
}

std::optional<Stage> ParseStage(std::string_view name) {
  for (const auto& [value, text] : kNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

bool IsTerminal(Stage stage) { return stage == Stage::kCompleted || stage == Stage::kFailed; }

std::optional<StageChange> StageAfterAct(Stage stage, std::string_view act, const StageFacts& facts) {
  switch (stage) {
    case Stage::kOpening:
      if (IsQuestion(act)) return To(Stage::kNeedsDiscovery, act);
      if (IsPitch(act) && facts.needs_revealed > 0) return To(Stage::kProductIntro, act);
      return std::nullopt;
    case Stage::kNeedsDiscovery:
      // Guard: no product introduction before the customer has told a need.
      if (IsPitch(act) && facts.needs_revealed > 0) return To(Stage::kProductIntro, act);
      return std::nullopt;
    case Stage::kProductIntro:
    case Stage::kObjectionHandling:
      // Guard: closing only once every raised objection is resolved.
      if (IsClose(act) && facts.objections_open == 0 && facts.needs_revealed > 0) return To(Stage::kClosing, act);
      return std::nullopt;
    case Stage::kClosing:
    case Stage::kCompleted:
    case Stage::kFailed:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<StageChange> StageAfterReply(Stage stage, const StageFacts& facts) {
  if (IsTerminal(stage)) return std::nullopt;
  if (facts.lost) return StageChange{Stage::kFailed, "customer:ended"};
  if (facts.won && facts.objections_open == 0) return StageChange{Stage::kCompleted, "customer:accepted_close"};
  if (facts.objection_raised && stage != Stage::kObjectionHandling) {
    return StageChange{Stage::kObjectionHandling, "customer:objection"};
  }
  return std::nullopt;
}

}  // namespace salesboost::conversation
