#include "brain/intent_classifier.hpp"

#include "brain/cue_rules.hpp"
#include "brain/text_match.hpp"
#include "core/text.hpp"

namespace salesboost::brain {
namespace {

// The cue rules (data/cues/customer_intents.json), parsed once. Ordered from
// the most specific to the most general: IntentRules (the rules alone) takes
// the first that fires. Each rule is one feature of the trained model.
const CueRules& Rules() {
  static const CueRules rules = CueRules::Builtin("customer_intents.json");
  return rules;
}

// Filler is what a listener says to keep the other side talking: a few words at most.
bool IsShort(std::string_view text) { return core::SegmentWords(text).size() <= 4; }

}  // namespace

std::vector<std::string_view> IntentRuleHits(std::string_view text) {
  const std::string folded = core::FoldText(text);
  const bool short_text = IsShort(folded);
  std::vector<std::string_view> hits;
  for (const auto& rule : Rules().rules()) {
    if (rule.label == "filler" && !short_text) continue;
    if (ContainsAny(folded, rule.cues)) hits.push_back(rule.label);
  }
  return hits;
}

Tagger IntentCueTagger() {
  Rules();  // parsed now, with the model, rather than on the first message
  return Tagger{"intent-cues", &IntentRuleHits};
}

IntentRules::IntentRules() { Rules(); }

conversation::CustomerIntent IntentRules::Classify(std::string_view text) const {
  const auto hits = IntentRuleHits(text);
  if (hits.empty()) return {"unclear", 0.3};
  return {std::string(hits.front()), 0.6};
}

conversation::CustomerIntent IntentClassifier::Classify(std::string_view text) const {
  const auto prediction = model_.Predict(text);
  return {prediction.label, prediction.confidence};
}

}  // namespace salesboost::brain
