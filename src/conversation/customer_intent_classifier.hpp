// CustomerIntentClassifier: the port that labels what a customer's message
// means. Thread-safe; synchronous (a local model).
#pragma once

#include <string>
#include <string_view>

namespace salesboost::conversation {

// What a customer's message means (product.md §1): price_inquiry,
// price_objection, product_inquiry, benefit_inquiry, competitor_comparison,
// case_request, negotiation, hesitation, positive_feedback,
// final_confirmation, soft_rejection, time_pressure, filler, greeting, unclear.
struct CustomerIntent {
  std::string label;
  double confidence = 0;
};

class CustomerIntentClassifier {
 public:
  virtual ~CustomerIntentClassifier() = default;
  virtual CustomerIntent Classify(std::string_view text) const = 0;
};

}  // namespace salesboost::conversation
