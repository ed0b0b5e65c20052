// TraineeReading: what the trainee's message does, as the customer hears it
// (docs/customer.md, "Reading the turn"): what it asks (a need, a fact about
// the customer, anything), what it answers (an open objection, one of the
// customer's own questions), what it offers (a pitch linked to a need the
// customer told, evidence, a close, the concrete next step) and how it treats
// the customer (courtesy, insult, pressure, a claim nobody can make). Read
// from the text with the persona's cues, the conduct rules and the sales act.
// Pure.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "brain/customer/persona_model.hpp"
#include "conversation/turn_context.hpp"

namespace salesboost::brain::customer {

struct TraineeReading {
  // Asking.
  bool question = false;       // the message asks something
  bool open_question = false;  // ... openly (what, how, why, tell me; 什么, 怎么, 为什么, 说说)
  bool summary = false;        // sums up what the customer said and checks it
  bool asks_concerns = false;  // asks what else holds the customer back
  std::string need;            // the first unrevealed need or pain whose cues it touches; empty if none
  std::string fact;            // the first persona fact whose cues it touches; empty if none
  std::string told_need;       // a need the customer has already told that it touches; empty if none
  // Answering.
  std::vector<std::string> resolves;  // open objections it answers with what settles them
  std::string triggers;               // the first objection not yet raised that it brings up
  bool settles_trigger = false;       // ... and answers in the same breath
  std::set<std::string> answered;     // the customer's own questions (signals) answered so far, this turn included
  // Offering.
  bool pitch = false;             // a value statement, evidence or an answer to an objection
  std::string linked_need;        // a revealed need the pitch speaks to (its cues); empty if none
  bool evidence = false;          // a case, a figure, a study
  bool close = false;             // asks for a decision or proposes the next step
  bool offers_next_step = false;  // names the concrete step the persona can agree to
  // Treatment.
  bool courtesy = false;
  bool insult = false;
  bool pressure = false;   // pressure, false urgency, coercion
  std::string breach;      // another conduct rule the message breaks (guaranteed_return, …); empty if none
  bool off_topic = false;  // nothing about the sale at all
  bool filler = false;     // "ok", "嗯嗯": says nothing
  bool greeting = false;

  // Every message of the trainee so far, this one last, folded once for the cue matches.
  std::vector<std::string> said;
  // Whether any of them holds one of `cues`.
  bool SaidAny(const std::vector<std::string>& cues) const;
};

TraineeReading ReadTurn(const conversation::TurnContext& turn, const PersonaModel& persona);

}  // namespace salesboost::brain::customer
