#include "brain/keyword_act_classifier.hpp"

#include "brain/conduct_rules.hpp"
#include "brain/cue_rules.hpp"
#include "brain/text_match.hpp"
#include "core/text.hpp"

namespace salesboost::brain {
namespace {

// The act rules (data/cues/sales_acts.json), parsed once, in priority order.
const CueRules& Rules() {
  static const CueRules rules = CueRules::Builtin("sales_acts.json", {.confidence = true});
  return rules;
}

}  // namespace

KeywordActClassifier::KeywordActClassifier() {
  Rules();
  ConductRules::Builtin();
}

conversation::SalesAct KeywordActClassifier::Classify(std::string_view text, std::string_view language) const {
  // A trailing space lets "what " and "hi " match at the end of the text too.
  const std::string folded = core::FoldText(text) + " ";
  // A message that breaks a conduct rule is a compliance risk whatever else it does.
  if (!ConductRules::Builtin().Find(text, language).empty()) return conversation::SalesAct{"compliance_risk", 0.9};
  for (const auto& rule : Rules().rules()) {
    if (ContainsAny(folded, rule.cues)) return conversation::SalesAct{rule.label, rule.confidence};
  }
  return conversation::SalesAct{"off_topic", 0.3};
}

}  // namespace salesboost::brain
