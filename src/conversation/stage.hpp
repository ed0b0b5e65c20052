// The sales stages and their transitions as pure functions: code decides,
// from the trainee's act and the customer's reaction, with guards (no product
// introduction before a need is known, no closing with open objections unless
// the customer has given an explicit buying signal). Every transition carries
// its cause. Per-stage slots record what the trainee has established.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  bool buying_signal = false;     // the customer has explicitly signalled wanting to buy
};

// What the trainee has established, stage by stage, filled from the classified
// acts and the customer's facts. Required slots are the ones the guards above
// check; optional ones are credit the report shows.
struct Slots {
  bool rapport = false;             // OPENING, optional: a greeting
  bool need_identified = false;     // NEEDS_DISCOVERY, required: the customer has told a need
  bool needs_summarised = false;    // NEEDS_DISCOVERY, optional: a summary of the needs once told
  bool value_presented = false;     // PRODUCT_INTRO, required: a value statement or evidence after a need
  bool evidence_given = false;      // PRODUCT_INTRO, optional: evidence after a need
  bool objections_resolved = true;  // OBJECTION_HANDLING, required: nothing raised is still open
  bool buying_signal = false;       // CLOSING, optional: the customer signalled wanting to buy
  bool close_asked = false;         // CLOSING, required: a trial close or close in the closing stage
};

struct SlotInfo {
  std::string_view name;
  Stage stage;
  bool required;
  bool Slots::*value;
};
// Every slot, in stage order.
const std::vector<SlotInfo>& SlotTable();

// The trainee's act of a turn, with the facts before it and the stage after it.
Slots FillSlotsAfterAct(Slots slots, Stage stage, std::string_view act, const StageFacts& facts);
// The customer's reply, with the facts after it.
Slots FillSlotsAfterReply(Slots slots, const StageFacts& facts);

// After classifying the trainee's message (act: a SalesAct label).
std::optional<StageChange> StageAfterAct(Stage stage, std::string_view act, const StageFacts& facts);
// After the customer's reply.
std::optional<StageChange> StageAfterReply(Stage stage, const StageFacts& facts);

}  // namespace salesboost::conversation
