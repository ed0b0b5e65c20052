#include "brain/conduct_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "brain/builtin_cues.hpp"
#include "core/text.hpp"

namespace salesboost::brain {
namespace {

namespace json = boost::json;

// Folded, typographic apostrophes made plain, ASCII punctuation as spaces, runs of spaces as one.
std::string Normalize(std::string_view text) {
  const std::string folded = core::FoldText(text);
  std::string out;
  out.reserve(folded.size() + 1);
  for (std::size_t i = 0; i < folded.size(); ++i) {
    char c = folded[i];
    // U+2018/U+2019 (E2 80 98/99): typographic apostrophes.
    if (i + 2 < folded.size() && c == '\xE2' && folded[i + 1] == '\x80' &&
        (folded[i + 2] == '\x98' || folded[i + 2] == '\x99')) {
      c = '\'';
      i += 2;
    }
    const bool space = c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':' || c == '"' || c == '(' ||
                       c == ')' || c == '\n' || c == '\t' || c == '\r' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  return out;
}

core::Error Problem(std::string_view where, std::string_view problem) {
  return core::Error{core::ErrorCode::kInvalidArgument, fmt::format("{}{}", where, problem)};
}

// A non-empty array of non-empty strings (or, with `allow_empty`, possibly empty).
core::Result<std::vector<std::string>> Phrases(const json::value* value, const std::string& where, bool allow_empty) {
  if (value == nullptr || !value->is_array() || (!allow_empty && value->get_array().empty())) {
    return core::Fail(
        Problem(where, allow_empty ? " must be an array of strings" : " must be a non-empty array of strings"));
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value->get_array().size(); ++i) {
    const auto& phrase = value->get_array()[i];
    if (!phrase.is_string() || phrase.get_string().empty()) {
      return core::Fail(Problem(where, fmt::format("[{}] must be a non-empty string", i)));
    }
    // Phrases are matched against ConductMatchText's form: normalised the same way (a trailing space,
    // which asks for a whole word, is kept).
    std::string normal = Normalize(phrase.get_string());
    if (phrase.get_string().back() == ' ' && (normal.empty() || normal.back() != ' ')) normal.push_back(' ');
    if (normal.empty() || normal == " ") {
      return core::Fail(Problem(where, fmt::format("[{}] has nothing left to match once normalised", i)));
    }
    out.push_back(std::move(normal));
  }
  return out;
}

core::Result<std::pair<std::string, std::string>> Texts(const json::object& rule, std::string_view key,
                                                        const std::string& where) {
  const auto* texts = rule.if_contains(key);
  const auto* en = texts != nullptr && texts->is_object() ? texts->get_object().if_contains("en") : nullptr;
  const auto* zh = texts != nullptr && texts->is_object() ? texts->get_object().if_contains("zh") : nullptr;
  if (en == nullptr || zh == nullptr || !en->is_string() || !zh->is_string() || en->get_string().empty() ||
      zh->get_string().empty()) {
    return core::Fail(Problem(where, fmt::format(".{} must be {{\"en\": text, \"zh\": text}}", key)));
  }
  return std::make_pair(std::string(en->get_string()), std::string(zh->get_string()));
}

core::Result<ConductRule> ParseRule(const json::value& value, const std::string& where) {
  if (!value.is_object()) return core::Fail(Problem(where, " must be an object"));
  const auto& object = value.get_object();
  static const std::set<std::string_view> kKeys = {"rule",    "level", "title",    "advice",
                                                   "example", "cues",  "patterns", "unless"};
  for (const auto& field : object) {
    if (!kKeys.contains(field.key())) {
      return core::Fail(Problem(where, fmt::format(" has an unknown key \"{}\"", std::string_view(field.key()))));
    }
  }
  ConductRule rule;
  const auto* id = object.if_contains("rule");
  if (id == nullptr || !id->is_string() || id->get_string().empty()) {
    return core::Fail(Problem(where, ".rule must be a non-empty string"));
  }
  rule.rule = std::string(id->get_string());
  const auto* level = object.if_contains("level");
  if (level == nullptr || !level->is_string() || (level->get_string() != "BLOCK" && level->get_string() != "WARN")) {
    return core::Fail(Problem(where, ".level must be \"BLOCK\" or \"WARN\""));
  }
  rule.level = std::string(level->get_string());
  auto title = Texts(object, "title", where);
  if (!title) return core::Fail(title.error());
  auto advice = Texts(object, "advice", where);
  if (!advice) return core::Fail(advice.error());
  std::tie(rule.title_en, rule.title_zh) = std::move(*title);
  std::tie(rule.advice_en, rule.advice_zh) = std::move(*advice);
  if (object.contains("example")) {
    auto example = Texts(object, "example", where);
    if (!example) return core::Fail(example.error());
    std::tie(rule.example_en, rule.example_zh) = std::move(*example);
  }
  auto cues = Phrases(object.if_contains("cues"), where + ".cues", true);
  if (!cues) return core::Fail(cues.error());
  rule.cues = std::move(*cues);
  if (const auto* unless = object.if_contains("unless")) {
    auto phrases = Phrases(unless, where + ".unless", true);
    if (!phrases) return core::Fail(phrases.error());
    rule.unless = std::move(*phrases);
  }
  if (const auto* patterns = object.if_contains("patterns")) {
    if (!patterns->is_array()) return core::Fail(Problem(where, ".patterns must be an array of patterns"));
    for (std::size_t p = 0; p < patterns->get_array().size(); ++p) {
      const auto& pattern = patterns->get_array()[p];
      const std::string at = fmt::format("{}.patterns[{}]", where, p);
      if (!pattern.is_array() || pattern.get_array().size() < 2) {
        return core::Fail(Problem(at, " must be an array of at least two groups"));
      }
      std::vector<std::vector<std::string>> groups;
      for (std::size_t g = 0; g < pattern.get_array().size(); ++g) {
        auto group = Phrases(&pattern.get_array()[g], fmt::format("{}[{}]", at, g), false);
        if (!group) return core::Fail(group.error());
        groups.push_back(std::move(*group));
      }
      rule.patterns.push_back(std::move(groups));
    }
  }
  if (rule.cues.empty() && rule.patterns.empty()) return core::Fail(Problem(where, " needs a cue or a pattern"));
  return rule;
}

// Whether the prepared text holds one of `phrases`.
bool HoldsAny(std::string_view text, const std::vector<std::string>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](const std::string& phrase) { return core::ContainsPhrase(text, phrase); });
}

// Whether every group of `pattern` has a phrase in `text`.
bool PatternFires(const std::vector<std::vector<std::string>>& pattern, std::string_view text) {
  return std::all_of(pattern.begin(), pattern.end(),
                     [&](const std::vector<std::string>& group) { return HoldsAny(text, group); });
}

// Whether `rule` fires on one sentence (prepared): a cue or a whole pattern in it, and none of its
// `unless` phrases ("can't guarantee" excuses the sentence it is in, not the rest of the message).
bool Fires(const ConductRule& rule, std::string_view sentence) {
  if (HoldsAny(sentence, rule.unless)) return false;
  if (HoldsAny(sentence, rule.cues)) return true;
  return std::any_of(rule.patterns.begin(), rule.patterns.end(),
                     [&](const auto& pattern) { return PatternFires(pattern, sentence); });
}

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

std::string ConductMatchText(std::string_view text) {
  std::string out = Normalize(text);
  if (out.empty() || out.back() != ' ') out.push_back(' ');
  return out;
}

core::Result<ConductRules> ConductRules::Parse(std::string_view text, std::string_view name) {
  boost::system::error_code ec;
  const auto document = json::parse(text, ec);
  const std::string prefix = fmt::format("{}: ", name);
  if (ec) return core::Fail(Problem(prefix, fmt::format("not valid JSON ({})", ec.message())));
  if (!document.is_object()) return core::Fail(Problem(prefix, "the top level must be an object"));
  for (const auto& field : document.get_object()) {
    if (field.key() != "about" && field.key() != "rules") {
      return core::Fail(Problem(prefix, fmt::format("unknown key \"{}\"", std::string_view(field.key()))));
    }
  }
  const auto* rules = document.get_object().if_contains("rules");
  if (rules == nullptr || !rules->is_array() || rules->get_array().empty()) {
    return core::Fail(Problem(prefix, "\"rules\" must be a non-empty array"));
  }
  ConductRules out;
  std::set<std::string, std::less<>> ids;
  for (std::size_t i = 0; i < rules->get_array().size(); ++i) {
    auto rule = ParseRule(rules->get_array()[i], fmt::format("{}rules[{}]", prefix, i));
    if (!rule) return core::Fail(rule.error());
    if (!ids.insert(rule->rule).second) {
      return core::Fail(Problem(prefix, fmt::format("rules[{}].rule \"{}\" repeats an earlier rule's", i, rule->rule)));
    }
    out.rules_.push_back(std::move(*rule));
  }
  return out;
}

const ConductRules& ConductRules::Builtin() {
  static const ConductRules rules = Load();
  return rules;
}

ConductRules ConductRules::Load() {
  constexpr std::string_view kName = "conduct_rules.json";
  const auto content = core::FindEmbeddedFile(BuiltinCueFiles(), kName);
  core::Result<ConductRules> rules =
      core::Fail(core::ErrorCode::kNotFound, fmt::format("{}: no such built-in cue file", kName));
  if (content) rules = Parse(*content, kName);
  if (!rules) {
    // Built-in data is part of the program: a bad file is a broken build, not bad input.
    std::fprintf(stderr, "built-in conduct rules: %s\n", rules.error().message.c_str());
    std::abort();
  }
  return std::move(*rules);
}

std::vector<conversation::ComplianceFinding> ConductRules::Find(std::string_view text,
                                                                std::string_view language) const {
  // A turn's text is judged by the compliance check, the classifier, the evaluator and the customer:
  // each thread keeps its last few answers, so the same text is matched once.
  struct Remembered {
    const ConductRules* rules = nullptr;
    std::string language;
    std::string text;
    std::vector<conversation::ComplianceFinding> findings;
  };
  thread_local std::array<Remembered, 8> recent;
  thread_local std::size_t next = 0;
  for (const auto& entry : recent) {
    if (entry.rules == this && entry.language == language && entry.text == text) return entry.findings;
  }
  auto out = Match(text, language);
  recent[next] =
      Remembered{.rules = this, .language = std::string(language), .text = std::string(text), .findings = out};
  next = (next + 1) % recent.size();
  return out;
}

std::vector<conversation::ComplianceFinding> ConductRules::Match(std::string_view text,
                                                                 std::string_view language) const {
  std::vector<conversation::ComplianceFinding> out;
  const std::vector<std::string> sentences = core::SplitSentences(text);
  std::vector<std::string> prepared;
  prepared.reserve(sentences.size());
  for (const auto& sentence : sentences) prepared.push_back(ConductMatchText(sentence));
  for (const auto& rule : rules_) {
    for (std::size_t i = 0; i < sentences.size(); ++i) {
      if (!Fires(rule, prepared[i])) continue;
      // The excerpt is the sentence that breaks the rule.
      out.push_back(conversation::ComplianceFinding{.rule = rule.rule,
                                                    .level = rule.level,
                                                    .excerpt = Trim(sentences[i]),
                                                    .message = std::string(rule.Title(language))});
      break;
    }
  }
  return out;
}

const ConductRule* ConductRules::Rule(std::string_view id) const {
  for (const auto& rule : rules_) {
    if (rule.rule == id) return &rule;
  }
  return nullptr;
}

}  // namespace salesboost::brain
