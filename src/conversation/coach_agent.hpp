// CoachAgent: the port of the live coach: one tip per turn, grounded in
// knowledge-base evidence, given once the customer has answered, so that it
// speaks about the state after the turn. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>
#include "conversation/events.hpp"
#include "conversation/turn_context.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

struct CoachTip {
  std::string type;       // praise, suggestion or warning
  std::string technique;  // SPIN, FAB, feel-felt-found, trial close, ...
  std::string text;
  std::string example;             // a phrasing the trainee could use
  std::vector<Evidence> evidence;  // from the knowledge base
};

// What the coach knows once the customer has answered.
struct TurnAfter {
  CustomerState customer;                   // after the reply
  std::string reply;                        // the customer's words
  std::string reply_intent;                 // what they do (a customer-intent label)
  std::vector<ComplianceFinding> findings;  // in the trainee's words
};

class CoachAgent {
 public:
  virtual ~CoachAgent() = default;
  virtual boost::asio::awaitable<core::Result<CoachTip>> Advise(const TurnContext& turn, const TurnAfter& after) = 0;
};

}  // namespace salesboost::conversation
