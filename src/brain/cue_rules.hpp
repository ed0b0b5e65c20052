// CueRules: labelled lists of cue phrases, in priority order, read from a JSON
// data file (data/cues/*.json, built into the binary by sb_embed_files):
//   {"about": "what the rules are for",
//    "rules": [{"label": "close", "confidence": 0.85, "cues": ["sign today", "签约"]}, ...]}
// The rule-based classifiers keep their phrases here rather than in code.
// Parse checks every field and names the first problem with its place
// ("sales_acts.json: rules[2].cues[0] must be a non-empty string").
// Immutable once parsed, so thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace salesboost::brain {

struct CueRule {
  std::string label;
  double confidence = 0;          // 0..1; 0 when the file's rules carry none
  std::vector<std::string> cues;  // as authored: lower case, matched on text folded by core::FoldText
};

struct CueRulesOptions {
  bool confidence = false;  // every rule must carry a "confidence" from 0 to 1
};

class CueRules {
 public:
  // `name` prefixes error messages (the file's name). Labels are unique; every
  // rule has at least one cue; unknown keys are refused.
  static core::Result<CueRules> Parse(std::string_view json, std::string_view name, CueRulesOptions options = {});

  // The rules of the built-in file `name` (data/cues/<name>). They are checked
  // by a unit test, so a file that does not parse is a broken build: it crashes.
  static CueRules Builtin(std::string_view name, CueRulesOptions options = {});

  const std::vector<CueRule>& rules() const { return rules_; }

 private:
  std::vector<CueRule> rules_;
};

}  // namespace salesboost::brain
