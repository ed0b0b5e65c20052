#include "conversation/conversation_state.hpp"

#include <algorithm>

namespace salesboost::conversation {
int OpenObjections(const CustomerState& customer) {
  int open = 0;
  for (const auto& id : customer.raised) open += customer.resolved.contains(id) ? 0 : 1;
  return open;
}

StageFacts FactsOf(const CustomerState& customer) {
  return StageFacts{.needs_revealed = static_cast<int>(customer.revealed.size()),
                    .objections_open = OpenObjections(customer),
                    .objection_raised = false,
                    .won = false,
                    .lost = false,
                    .buying_signal = customer.buying_signal};
}

void ConversationState::Apply(const Event& event) {
  last_seq = event.seq;
  if (const auto* ready = event.As<SessionReady>()) {
    max_turns = ready->scenario.max_turns;
    customer.mood = ready->mood;
    seed = ready->seed;
  } else if (const auto* changed = event.As<StageChanged>()) {
    stage = changed->to;
  } else if (const auto* mood = event.As<MoodChanged>()) {
    customer.mood = mood->value;
  } else if (const auto* started = event.As<TurnStarted>()) {
    before_turn_ = Snapshot{.customer = customer, .slots = slots, .transcript_size = transcript.size()};
    // The act's slots, from the facts before the turn and the stage the act leads to (the same pure
    // function the coordinator ran; its stage.changed comes later, in the turn's commit).
    if (!started->act.empty()) {
      const StageFacts facts = FactsOf(customer);
      const auto change = StageAfterAct(stage, started->act, facts);
      slots = FillSlotsAfterAct(slots, change ? change->to : stage, started->act, facts);
    }
    transcript.push_back(
        TranscriptLine{.speaker = "trainee", .text = started->text, .turn_id = event.turn_id, .seq = event.seq});
  } else if (const auto* reply = event.As<NpcDone>()) {
    transcript.push_back(
        TranscriptLine{.speaker = "customer", .text = reply->text, .turn_id = event.turn_id, .seq = event.seq});
    customer.revealed.insert(reply->revealed.begin(), reply->revealed.end());
    customer.raised.insert(reply->raised.begin(), reply->raised.end());
    customer.resolved.insert(reply->resolved.begin(), reply->resolved.end());
    customer.told.insert(reply->told.begin(), reply->told.end());
    customer.buying_signal = customer.buying_signal || reply->buying_signal;
    slots = FillSlotsAfterReply(slots, FactsOf(customer));
  } else if (event.Is<TurnAborted>()) {
    // The aborted attempt is not part of the conversation.
    customer = before_turn_.customer;
    slots = before_turn_.slots;
    transcript.resize(std::min(transcript.size(), before_turn_.transcript_size));
  } else if (event.Is<TurnDone>()) {
    committed_turns.insert(event.turn_id);
    ++turns;
  } else if (event.Is<SessionEnded>()) {
    ended = true;
  }
}

ConversationState FoldEvents(const std::vector<Event>& events) {
  ConversationState state;
  for (const auto& event : events) state.Apply(event);
  return state;
}

}  // namespace salesboost::conversation
