// CustomerPolicy: what the customer says next and what it changes, decided
// from the persona, the conversation so far and the reading of the trainee's
// message (docs/customer.md, "The policy"). In order: how it was treated
// (an insult, pressure or a breach of the conduct rules is answered in
// character and costs mood), objections the message settles, a close (raise
// the condition still missing, ask for the concrete step, accept or refuse),
// the question asked (a need to a good question, a fact it knows, "I don't
// know" when it has none), an objection the message brings up, a pitch
// (pushed back before any need is known, welcomed when it speaks to one),
// then a buying signal when warm, and a neutral nudge when nothing else
// applies. It leaves when its mood falls too low. Deterministic for a seed.
// Pure.
#pragma once

#include <string>
#include <vector>

#include "brain/customer/phrasing.hpp"
#include "conversation/npc_agent.hpp"

namespace salesboost::brain::customer {

inline constexpr double kLeaveBelow = 0.1;   // the customer ends the call under this mood
inline constexpr double kCloseAbove = 0.45;  // and accepts a close only from this one
inline constexpr double kSignalAbove = 0.6;  // and starts asking buying questions from this one

// The customer's reply to the turn: its text and what it changes.
conversation::NpcReply DecideReply(const conversation::TurnContext& turn);

// The customer-intent label of a reply whose first beat is of `kind`.
std::string IntentOfBeat(const std::string& kind, const std::string& objection_id);

}  // namespace salesboost::brain::customer
