// SalesActClassifier: the port that labels what a trainee's message does
// (SalesAct, turn_context.hpp). Thread-safe; synchronous (a local model).
#pragma once

#include <string_view>
#include "conversation/turn_context.hpp"

namespace salesboost::conversation {

class SalesActClassifier {
 public:
  virtual ~SalesActClassifier() = default;
  virtual SalesAct Classify(std::string_view text, std::string_view language) const = 0;
};

}  // namespace salesboost::conversation
