// The sales stages and their transitions as pure functions: code decides,
// from the trainee's act and the customer's reaction, with guards (no product
// introduction before a need is known, no closing with open objections).
// Every transition carries its cause.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace salesboost::conversation {

enum class Stage { kOpening, kNeedsDiscovery, kProductIntro, kObjectionHandling, kClosing, kCompleted, kFailed };

std::string_view StageName(Stage stage);  // "OPENING", ...
std::optional<Stage> ParseStage(std::string_view name);
bool IsTerminal(Stage stage);

struct StageChange {
  Stage to;
  std::string cause;
};

struct StageFacts {
  int needs_revealed = 0;         // needs and pains the customer has told so far
  int objections_open = 0;        // raised and not resolved
  bool objection_raised = false;  // by the reply of this turn
  bool won = false;               // the customer accepted the close
  bool lost = false;              // the customer ended the conversation
};

// After classifying the trainee's message (act: a SalesAct label).
std::optional<StageChange> StageAfterAct(Stage stage, std::string_view act, const StageFacts& facts);
// After the customer's reply.
std::optional<StageChange> StageAfterReply(Stage stage, const StageFacts& facts);

}  // namespace salesboost::conversation
