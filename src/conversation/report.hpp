// The session report, rebuilt from the event log (never stored separately
// from it): the scorecard and the overall score (scorecard.hpp), the criteria
// met and missed with the turns that decided them, the trainee's strongest
// and weakest turns, the violations, the stage timeline, the slots, the
// per-dimension averages of turn.scored events and the transcript. Pure function.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "conversation/events.hpp"
#include "conversation/scorecard.hpp"
#include "conversation/session.hpp"

namespace salesboost::conversation {

// The evaluation dimensions, scored 0-10 per turn.
inline constexpr const char* kDimensions[] = {"integrity",  "relevance",      "correctness", "logic",
                                              "compliance", "persuasiveness", "empathy"};

// `card` is ScoreSession's scorecard of these events.
boost::json::object BuildReport(const Session& session, const std::vector<Event>& events, const Scorecard& card);

}  // namespace salesboost::conversation
