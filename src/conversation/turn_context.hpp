// TurnContext: everything an agent may read about a turn (the session, its
// scenario and persona, the stage, the customer's state, the history, the
// trainee's message and its sales act). Plain values; lives for the whole turn.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <vector>
#include "conversation/session.hpp"
#include "conversation/stage.hpp"

namespace salesboost::conversation {

// What the trainee's message does (product.md §1): greeting, open_question,
// closed_question, needs_summary, value_statement, evidence, objection_handling,
// trial_close, close, off_topic, compliance_risk.
struct SalesAct {
  std::string label;
  double confidence = 0;
};

// The customer's side of the conversation so far, folded from the event log.
struct CustomerState {
  double mood = 0.5;               // 0 hostile .. 1 eager
  std::set<std::string> revealed;  // ids of needs and hidden pains the customer has told
  std::set<std::string> raised;    // ids of objections raised
  std::set<std::string> resolved;  // ids of objections resolved
  std::set<std::string> told;      // ids of facts told and of the customer's own questions asked
  bool buying_signal = false;      // has explicitly signalled wanting to buy
};

struct TranscriptLine {
  std::string speaker;  // "trainee" or "customer"
  std::string text;
  std::string turn_id;
  std::int64_t seq = 0;  // of the event that holds the text
};

// Everything an agent may read about the turn. Lives for the whole turn.
struct TurnContext {
  const Session& session;
  const boost::json::object& scenario;
  const boost::json::object& persona;
  Stage stage = Stage::kOpening;        // after this turn's act has been applied
  CustomerState customer;               // before this turn
  std::vector<TranscriptLine> history;  // earlier turns, oldest first
  std::string turn_id;
  std::string text;  // the trainee's message
  SalesAct act;
  std::int64_t turn_index = 1;  // 1-based
  std::uint64_t seed = 0;       // same seed and inputs: same conversation

  // The knowledge collections the agents may read: the course's, set by the session actor.
  std::vector<std::string> collections{};
};

}  // namespace salesboost::conversation
