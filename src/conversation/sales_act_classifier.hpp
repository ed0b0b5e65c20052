// SalesActClassifier: the port that labels what a trainee's message does
// (SalesAct, turn_context.hpp). Thread-safe; synchronous (a local model).
#pragma once

#include <string_view>
#include "conversation/turn_context.hpp"

namespace salesboost::conversation {

// An act label with less confidence than this is a guess, and a guess never drives a penalty.
inline constexpr double kSureOfAct = 0.5;

class SalesActClassifier {
 public:
  virtual ~SalesActClassifier() = default;
  virtual SalesAct Classify(std::string_view text, std::string_view language) const = 0;
};

}  // namespace salesboost::conversation
