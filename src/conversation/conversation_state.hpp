// ConversationState: what a session's event log says about the conversation
// so far (stage and its slots, the customer's mood and what it has revealed,
// raised and resolved, the transcript, committed turns). Rebuilt by folding events in
// seq order; never stored on its own. Plain value.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "conversation/agents.hpp"
#include "conversation/events.hpp"
#include "conversation/session.hpp"
#include "conversation/stage.hpp"

namespace salesboost::conversation {

// Objections raised and not resolved.
int OpenObjections(const CustomerState& customer);
// The facts the stage guards read, from the customer's state.
StageFacts FactsOf(const CustomerState& customer);

struct ConversationState {
  Stage stage = Stage::kOpening;
  Slots slots;
  CustomerState customer;
  std::vector<TranscriptLine> transcript;
  std::set<std::string> committed_turns;  // turn ids with a turn.done
  std::int64_t turns = 0;                 // committed turns
  std::int64_t max_turns = 20;
  std::uint64_t seed = 0;
  std::int64_t last_seq = 0;
  bool ended = false;

  // Applies one event; events must come in seq order. The effects of a turn
  // that ends in turn.aborted are undone.
  void Apply(const Event& event);

 private:
  struct Snapshot {
    CustomerState customer;
    Slots slots;
    std::size_t transcript_size = 0;
  };
  Snapshot before_turn_;  // taken at turn.started
};

ConversationState FoldEvents(const std::vector<Event>& events);

}  // namespace salesboost::conversation
