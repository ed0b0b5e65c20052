// KeywordActClassifier: the rule layer of the sales-act classifier: Chinese
// and English cue phrases per act (data/cues/sales_acts.json), checked in priority order (a compliance
// risk outranks a close, a close outranks a question, ...). Thread-safe.
#pragma once

#include "conversation/agents.hpp"

namespace salesboost::brain {

class KeywordActClassifier final : public conversation::SalesActClassifier {
 public:
  KeywordActClassifier();  // parses the built-in cue file if nothing has yet
  conversation::SalesAct Classify(std::string_view text, std::string_view language) const override;
};

}  // namespace salesboost::brain
