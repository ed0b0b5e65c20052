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
      // Guard: closing only once every raised objection is resolved, or on an explicit buying signal.
      if (!IsClose(act) || facts.needs_revealed == 0) return std::nullopt;
      if (facts.objections_open == 0) return To(Stage::kClosing, act);
      if (facts.buying_signal) return StageChange{Stage::kClosing, "act:" + std::string(act) + "+buying_signal"};
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

const std::vector<SlotInfo>& SlotTable() {
  static const std::vector<SlotInfo> table = {
      {"rapport", Stage::kOpening, false, &Slots::rapport},
      {"need_identified", Stage::kNeedsDiscovery, true, &Slots::need_identified},
      {"needs_summarised", Stage::kNeedsDiscovery, false, &Slots::needs_summarised},
      {"value_presented", Stage::kProductIntro, true, &Slots::value_presented},
      {"evidence_given", Stage::kProductIntro, false, &Slots::evidence_given},
      {"objections_resolved", Stage::kObjectionHandling, true, &Slots::objections_resolved},
      {"buying_signal", Stage::kClosing, false, &Slots::buying_signal},
      {"close_asked", Stage::kClosing, true, &Slots::close_asked},
  };
  return table;
}

Slots FillSlotsAfterAct(Slots slots, Stage stage, std::string_view act, const StageFacts& facts) {
  if (act == "greeting") slots.rapport = true;
  const bool need_known = facts.needs_revealed > 0;
  if (act == "needs_summary" && need_known) slots.needs_summarised = true;
  if (IsPitch(act) && need_known) slots.value_presented = true;
  if (act == "evidence" && need_known) slots.evidence_given = true;
  if (IsClose(act) && stage == Stage::kClosing) slots.close_asked = true;
  return slots;
}

Slots FillSlotsAfterReply(Slots slots, const StageFacts& facts) {
  if (facts.needs_revealed > 0) slots.need_identified = true;
  slots.objections_resolved = facts.objections_open == 0;
  if (facts.buying_signal) slots.buying_signal = true;
  return slots;
}

}  // namespace salesboost::conversation
