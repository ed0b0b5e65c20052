// The next scenario a report recommends: catalogue policy, a pure function.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "conversation/scorecard.hpp"

namespace salesboost::conversation {

// From the scorecard: a blocker sends the trainee back to this scenario; the
// weakest criterion (weight times what was missed) names a skill, and the
// course's scenario whose rubric weighs that skill most trains it next (this
// one on a tie); every criterion met and the customer won moves on to the
// course's next scenario (in catalogue order, wrapping). {scenario_id, title
// (in `language`), why}; null when the course has no scenario.
boost::json::value RecommendNext(const std::vector<boost::json::object>& scenarios, std::string_view scenario_id,
                                 std::string_view language, const Scorecard& card);

}  // namespace salesboost::conversation
