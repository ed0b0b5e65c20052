#include "brain/hybrid_act_classifier.hpp"

namespace salesboost::brain {

conversation::SalesAct HybridActClassifier::Classify(std::string_view text, std::string_view language) const {
  auto rule = rules_.Classify(text, language);
  if (rule.label == "compliance_risk") return rule;
  const auto predicted = model_.Predict(text);
  if (predicted.confidence >= confident_ || rule.label == "off_topic") {
    return conversation::SalesAct{predicted.label, predicted.confidence};
  }
  return rule;
}

}  // namespace salesboost::brain
