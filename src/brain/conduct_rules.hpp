// ConductRules: what a salesperson must not say (promised returns, requests
// for ID or card numbers, coercion, insults, false urgency, pressure,
// disparaging competitors, instructions to the simulator), read from a JSON
// data file (data/cues/conduct_rules.json, built into the binary):
//   {"about": "...", "rules": [{"rule": "coercion", "level": "BLOCK",
//     "title": {"en", "zh"}, "advice": {"en", "zh"}, "example": {"en", "zh"} (optional),
//     "cues": ["unless you upgrade"], "patterns": [[["不办"], ["就不给"], ["提额"]]],
//     "unless": ["不能保证"]}]}
// A rule fires on a text when, in one of its sentences, one of its cues
// matches or every group of one of its patterns has a matching phrase, and
// none of its `unless` phrases matches in that sentence ("can't guarantee"
// excuses its own sentence, not the rest of the message). Latin phrases match
// at a word start (a trailing space asks for a whole word), CJK phrases
// anywhere. Immutable once parsed, so thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conversation/events.hpp"
#include "core/result.hpp"

namespace salesboost::brain {

struct ConductRule {
  std::string rule;   // guaranteed_return, personal_data_request, coercion, insult, ...
  std::string level;  // BLOCK (a blocker) or WARN
  std::string title_en, title_zh;
  std::string advice_en, advice_zh;
  std::string example_en, example_zh;  // what to say instead; may be empty
  std::vector<std::string> cues;
  std::vector<std::vector<std::vector<std::string>>> patterns;  // pattern -> group -> phrase
  std::vector<std::string> unless;

  std::string_view Title(std::string_view language) const { return language == "zh" ? title_zh : title_en; }
  std::string_view Advice(std::string_view language) const { return language == "zh" ? advice_zh : advice_en; }
  std::string_view Example(std::string_view language) const { return language == "zh" ? example_zh : example_en; }
};

class ConductRules {
 public:
  // `name` prefixes error messages. Rule ids are unique; every rule has a cue or a pattern.
  static core::Result<ConductRules> Parse(std::string_view json, std::string_view name);
  // The built-in rules (data/cues/conduct_rules.json), parsed once; checked by a unit test.
  static const ConductRules& Builtin();

  // The rules that fire on `text`, one finding each, in file order; the
  // finding's message is the rule's title in `language`.
  std::vector<conversation::ComplianceFinding> Find(std::string_view text, std::string_view language) const;
  // The rule with this id; null when there is none.
  const ConductRule* Rule(std::string_view id) const;
  const std::vector<ConductRule>& rules() const { return rules_; }

 private:
  static ConductRules Load();
  std::vector<conversation::ComplianceFinding> Match(std::string_view text, std::string_view language) const;

  std::vector<ConductRule> rules_;
};

// The text as conduct phrases are matched against: folded (core::FoldText),
// typographic apostrophes made plain, ASCII punctuation as spaces, and a
// trailing space so that a phrase ending in a space matches a whole word.
std::string ConductMatchText(std::string_view text);

}  // namespace salesboost::brain
