// The customer-intent classifier: cue rules written from what each intent
// sounds like, in Chinese and English (data/cues/customer_intents.json), feed the trained linear model as
// features next to its word and character n-grams, so the model learns how
// far to trust each rule and decides between rules that fire together.
// Thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "brain/linear_classifier.hpp"
#include "conversation/agents.hpp"

namespace salesboost::brain {

// The labels whose cue rules fire on `text` (filler only for short texts).
std::vector<std::string_view> IntentRuleHits(std::string_view text);

// The rule hits as model features ("intent-cues"), for training and loading the model.
Tagger IntentCueTagger();

// The rules alone: the first label that fires, or "unclear".
class IntentRules final : public conversation::CustomerIntentClassifier {
 public:
  IntentRules();  // parses the built-in cue file if nothing has yet
  conversation::CustomerIntent Classify(std::string_view text) const override;
};

// The model trained with IntentCueTagger().
class IntentClassifier final : public conversation::CustomerIntentClassifier {
 public:
  explicit IntentClassifier(LinearClassifier model) : model_(std::move(model)) {}
  conversation::CustomerIntent Classify(std::string_view text) const override;

 private:
  LinearClassifier model_;
};

}  // namespace salesboost::brain
