// The session report, rebuilt from the event log (never stored separately
// from it): turns, stage timeline, per-dimension averages of turn.scored
// events, strongest and weakest dimensions. Pure function.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "conversation/events.hpp"
#include "conversation/session.hpp"

namespace salesboost::conversation {

// The evaluation dimensions, scored 0-10 per turn.
inline constexpr const char* kDimensions[] = {"integrity",  "relevance",      "correctness", "logic",
                                              "compliance", "persuasiveness", "empathy"};

boost::json::object BuildReport(const Session& session, const std::vector<Event>& events);

}  // namespace salesboost::conversation
