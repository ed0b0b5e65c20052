#include "conversation/conversation_state.hpp"

#include <algorithm>
#include <boost/json/array.hpp>

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

void AddAll(const json::object& payload, std::string_view key, std::set<std::string>& into) {
  if (const auto* list = payload.if_contains(key); list != nullptr && list->is_array()) {
    for (const auto& id : list->as_array()) {
      if (id.is_string()) into.emplace(id.get_string());
    }
  }
}

std::string Text(const json::object& payload, std::string_view key) {
  const auto* value = payload.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace

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
  const auto& payload = event.payload;
  if (event.type == "session.ready") {
    if (const auto* scenario = payload.if_contains("scenario"); scenario != nullptr && scenario->is_object()) {
      if (const auto* max = scenario->as_object().if_contains("max_turns"); max != nullptr && max->is_int64()) {
        max_turns = max->get_int64();
      }
    }
    if (const auto* mood = payload.if_contains("mood"); mood != nullptr && mood->is_number()) {
      customer.mood = mood->to_number<double>();
    }
    if (const auto* value = payload.if_contains("seed"); value != nullptr && value->is_number()) {
      seed = value->to_number<std::uint64_t>();
    }
  } else if (event.type == "stage.changed") {
    if (auto to = ParseStage(Text(payload, "to"))) stage = *to;
  } else if (event.type == "mood") {
    if (const auto* value = payload.if_contains("value"); value != nullptr && value->is_number()) {
      customer.mood = value->to_number<double>();
    }
  } else if (event.type == "turn.started") {
    before_turn_ = Snapshot{.customer = customer, .slots = slots, .transcript_size = transcript.size()};
    // The act's slots, from the facts before the turn and the stage the act leads to (the same pure
    // function the coordinator ran; its stage.changed comes later, in the turn's commit).
    if (const auto* act = payload.if_contains("act"); act != nullptr && act->is_object()) {
      const std::string label = Text(act->as_object(), "label");
      const StageFacts facts = FactsOf(customer);
      const auto change = StageAfterAct(stage, label, facts);
      slots = FillSlotsAfterAct(slots, change ? change->to : stage, label, facts);
    }
    transcript.push_back(TranscriptLine{
        .speaker = "trainee", .text = Text(payload, "text"), .turn_id = event.turn_id, .seq = event.seq});
  } else if (event.type == "npc.done") {
    transcript.push_back(TranscriptLine{
        .speaker = "customer", .text = Text(payload, "text"), .turn_id = event.turn_id, .seq = event.seq});
    AddAll(payload, "revealed", customer.revealed);
    AddAll(payload, "raised", customer.raised);
    AddAll(payload, "resolved", customer.resolved);
    if (const auto* signal = payload.if_contains("buying_signal"); signal != nullptr && signal->is_bool()) {
      customer.buying_signal = customer.buying_signal || signal->get_bool();
    }
    slots = FillSlotsAfterReply(slots, FactsOf(customer));
  } else if (event.type == "turn.aborted") {
    // The aborted attempt is not part of the conversation.
    customer = before_turn_.customer;
    slots = before_turn_.slots;
    transcript.resize(std::min(transcript.size(), before_turn_.transcript_size));
  } else if (event.type == "turn.done") {
    committed_turns.insert(event.turn_id);
    ++turns;
  } else if (event.type == "session.ended") {
    ended = true;
  }
}

ConversationState FoldEvents(const std::vector<Event>& events) {
  ConversationState state;
  for (const auto& event : events) state.Apply(event);
  return state;
}

}  // namespace salesboost::conversation
