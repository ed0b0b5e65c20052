// Assistant: the port behind "assist": for what a customer on a real call
// said, the intent, compliant replies and the knowledge they rest on. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>
#include "conversation/customer_intent_classifier.hpp"
#include "conversation/knowledge.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

// Assist: what a salesperson on a real call gets for what the customer just said.
struct AssistSuggestion {
  std::string text;       // a compliant reply the salesperson could say
  std::string technique;  // feel-felt-found, FAB, SPIN, trial close, ...
};

struct Assistance {
  std::string language;  // "zh" or "en": the customer message's
  CustomerIntent intent;
  std::vector<AssistSuggestion> suggestions;  // one to three
  std::vector<KnowledgeHit> knowledge;        // what the suggestions rest on
};

struct AssistRequest {
  std::string customer_message;
  std::string context;                     // optional: what the call is about (product, earlier lines)
  std::vector<std::string> collections{};  // the knowledge searched (a course's); empty: none
};

class Assistant {
 public:
  virtual ~Assistant() = default;
  virtual boost::asio::awaitable<core::Result<Assistance>> Assist(AssistRequest request) = 0;
};

}  // namespace salesboost::conversation
