// The scorecard of a session: its scenario's rubric (catalog/rubric.hpp)
// judged in code over the committed turns, the blockers (every BLOCK finding
// in the trainee's words), the outcome (won, lost, the stage reached), and the
// overall score made of them:
//   overall = 0.75 * scorecard + 0.25 * outcome, at most the rubric's
//   blocker_cap when a blocker fired, and at most its pressure_cap when the
//   trainee pressed the customer (pressure, false urgency, cost played down,
//   a competitor run down) in two turns or more.
// Each criterion says met, partly or not met with the turn and the quote that
// decided it. Pure functions: the same events give the same scorecard.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/rubric.hpp"
#include "conversation/events.hpp"
#include "conversation/stage.hpp"

namespace salesboost::conversation {

// One committed turn, as the scorecard and the report read it.
struct TurnRecord {
  std::string turn_id;
  std::int64_t index = 0;  // 1-based
  std::int64_t seq = 0;    // of its turn.started
  std::string text;        // the trainee's words
  std::string act;
  std::string reply;                           // the customer's words
  std::set<std::string> revealed_before;       // needs and pains the customer had told before this turn
  std::set<std::string> revealed;              // ... by this turn's reply
  std::set<std::string> raised;                // objections raised by this turn's reply
  std::set<std::string> resolved;              // ... and resolved by it
  bool buying_signal = false;                  // in this turn's reply
  std::vector<ComplianceFinding> findings;     // in the trainee's words
  std::map<std::string, double> scores;        // turn.scored, by dimension
  std::map<std::string, std::string> reasons;  // ... and why
};

// The committed turns of a session's events, in order; aborted attempts are left out.
std::vector<TurnRecord> CommittedTurns(const std::vector<Event>& events);

struct CriterionResult {
  std::string id;
  std::string title;
  std::string skill;
  double weight = 0;
  std::string result;   // met, partly or not_met
  double points = 0;    // 1, 0.5 or 0
  std::string level;    // the rubric's description of the level reached
  std::string why;      // what decided it
  std::string turn_id;  // the turn that decided it; empty when none did
  std::int64_t seq = 0;
  std::string quote;
};

struct Blocker {
  std::string rule;
  std::string message;
  std::string turn_id;
  std::int64_t seq = 0;
  std::string quote;  // the trainee's sentence
};

struct SessionOutcome {
  std::string result;                     // won, lost, or how the session ended otherwise (trainee, max_turns, ...)
  Stage stage_reached = Stage::kOpening;  // the furthest stage before the end
  double score = 0;                       // 0..10
};

struct Scorecard {
  std::vector<CriterionResult> criteria;
  double score = 0;  // 0..10: the weighted criteria
  std::vector<Blocker> blockers;
  int pressure_turns = 0;     // turns whose words pressed the customer
  std::optional<double> cap;  // the lowest cap that applies
  SessionOutcome outcome;
  std::optional<double> overall;  // none when no turn was committed
};

Scorecard ScoreSession(const catalog::Rubric& rubric, const std::vector<Event>& events, std::string_view language);

boost::json::object ScorecardJson(const Scorecard& scorecard);
// The rubric as the trainee reads it before starting: criteria with weights and levels in `language`.
boost::json::object RubricJson(const catalog::Rubric& rubric, std::string_view language);

}  // namespace salesboost::conversation
