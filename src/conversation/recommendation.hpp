// The next scenario a report recommends: catalogue policy, a pure function.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

namespace salesboost::conversation {

// Won: the course's next scenario (in catalogue order, wrapping); otherwise
// the same one again. {scenario_id, title (in `language`), why}; null when the
// course has no scenario.
boost::json::value RecommendNext(const std::vector<boost::json::object>& scenarios, std::string_view scenario_id,
                                 std::string_view language, std::string_view end_reason);

}  // namespace salesboost::conversation
