// HybridActClassifier: the sales-act classifier used by turns: the keyword
// rules decide where they are precise (a message that breaks a conduct rule
// is a compliance risk), the trained linear model decides when it is
// confident, and the rules break the tie when it is not. The model alone
// labels a message compliance_risk only when it is very sure (kRiskConfident):
// otherwise its best other label stands. Thread-safe.
#pragma once

#include "brain/keyword_act_classifier.hpp"
#include "brain/linear_classifier.hpp"
#include "conversation/agents.hpp"

namespace salesboost::brain {

class HybridActClassifier final : public conversation::SalesActClassifier {
 public:
  explicit HybridActClassifier(LinearClassifier model, double confident = 0.5)
      : model_(std::move(model)), confident_(confident) {}
  conversation::SalesAct Classify(std::string_view text, std::string_view language) const override;

 private:
  static constexpr double kRiskConfident = 0.8;
  Prediction BestOtherThanRisk(std::string_view text) const;

  KeywordActClassifier rules_;
  LinearClassifier model_;
  double confident_;
};

}  // namespace salesboost::brain
