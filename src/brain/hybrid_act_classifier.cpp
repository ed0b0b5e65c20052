#include "brain/hybrid_act_classifier.hpp"

namespace salesboost::brain {

Prediction HybridActClassifier::BestOtherThanRisk(std::string_view text) const {
  const auto probabilities = model_.Probabilities(text);
  const auto& labels = model_.labels();
  Prediction best;
  for (std::size_t i = 0; i < labels.size() && i < probabilities.size(); ++i) {
    if (labels[i] != "compliance_risk" && probabilities[i] > best.confidence) {
      best = Prediction{.label = labels[i], .confidence = probabilities[i]};
    }
  }
  return best;
}

conversation::SalesAct HybridActClassifier::Classify(std::string_view text, std::string_view language) const {
  auto rule = rules_.Classify(text, language);
  if (rule.label == "compliance_risk") return rule;
  auto predicted = model_.Predict(text);
  if (predicted.label == "compliance_risk" && predicted.confidence < kRiskConfident) {
    // The conduct rules found nothing; a model that is unsure never makes a message a risk on its own.
    predicted = BestOtherThanRisk(text);
  }
  if (predicted.confidence >= confident_ || rule.label == "off_topic") {
    return conversation::SalesAct{predicted.label, predicted.confidence};
  }
  return rule;
}

}  // namespace salesboost::brain
