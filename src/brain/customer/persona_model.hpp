// PersonaModel: a persona of the catalogue (docs/customer.md, "Persona
// schema") read in one language, as the offline customer uses it: what it
// needs, what it knows about itself, what it objects to and what settles it,
// its own questions, and the next step it can agree to. Cue lists are folded
// (core::FoldText) for the keyword match of brain/text_match.hpp. Plain value.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

namespace salesboost::brain::customer {

// A need or hidden pain: `says` is how the customer puts it (a whole sentence).
struct Need {
  std::string id;
  std::string says;
  std::string topic;  // a short noun phrase for "that would help with {topic}"
  std::vector<std::string> revealed_by;
  bool hidden = false;  // a hidden pain: only an open question or its own cue brings it out
};

// Something the customer knows about its own situation, told when asked.
struct Fact {
  std::string id;
  std::string says;
  std::vector<std::string> asked_by;
};

struct Objection {
  std::string id;
  std::string says;
  std::string topic;  // "the annual fee": for "you still haven't answered my concern about {topic}"
  std::vector<std::string> triggers;
  std::vector<std::string> resolved_by;
};

// A question the customer asks when it starts wanting to buy; never asked
// once the trainee has said what `answered_by` names.
struct Signal {
  std::string id;
  std::string says;
  std::vector<std::string> answered_by;
};

struct PersonaModel {
  std::vector<Need> needs;  // needs, then hidden pains
  std::vector<Fact> facts;
  std::vector<Objection> objections;
  std::vector<Signal> signals;
  std::vector<std::string> close_conditions;  // objection ids resolved before a close is accepted
  std::vector<std::string> next_step;         // cues of the concrete step it agrees to; empty: any close
  double volatility = 0.3;                    // how strongly its mood moves

  // The persona in `language` (falling back to the other language's text where one is missing).
  static PersonaModel Read(const boost::json::object& persona, const std::string& language);

  const Objection* FindObjection(const std::string& id) const;
};

}  // namespace salesboost::brain::customer
