// Evaluator: the port that scores a turn per dimension (report.hpp's
// kDimensions), 0..10 with a reason each. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <map>
#include <string>
#include "conversation/turn_context.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

struct TurnScores {
  std::map<std::string, double> scores;  // dimension (report.hpp) -> 0..10
  std::map<std::string, std::string> reasons;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual boost::asio::awaitable<core::Result<TurnScores>> Score(const TurnContext& turn) = 0;
};

}  // namespace salesboost::conversation
