#include "brain/customer/phrasing.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "brain/builtin_cues.hpp"
#include "core/text.hpp"

namespace salesboost::brain::customer {
namespace {

namespace json = boost::json;

using Phrasebook = std::map<std::string, std::map<std::string, std::vector<std::string>, std::less<>>, std::less<>>;

// The shared phrases by language and kind; a bad built-in file is a broken build.
const Phrasebook& Shared() {
  static const Phrasebook book = [] {
    constexpr std::string_view kName = "customer_phrases.json";
    Phrasebook out;
    const auto content = core::FindEmbeddedFile(BuiltinCueFiles(), kName);
    boost::system::error_code ec;
    const json::value root = content ? json::parse(*content, ec) : json::value();
    if (!content || ec || !root.is_object()) {
      std::fprintf(stderr, "built-in %s: missing or not a JSON object\n", kName.data());
      std::abort();
    }
    for (const auto& [language, kinds] : root.get_object()) {
      if (language.starts_with("_")) continue;
      for (const auto& [kind, variants] : kinds.as_object()) {
        auto& list = out[std::string(language)][std::string(kind)];
        for (const auto& variant : variants.as_array()) list.emplace_back(variant.as_string());
      }
    }
    return out;
  }();
  return book;
}

std::uint64_t Mix(std::uint64_t x) {  // splitmix64
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// The persona's own variants of `kind` in the session's language, then the shared ones; and how many are its own.
std::pair<std::vector<std::string>, std::size_t> Variants(const conversation::TurnContext& turn,
                                                          std::string_view kind) {
  std::vector<std::string> out;
  const auto* templates = turn.persona.if_contains("templates");
  if (templates != nullptr && templates->is_object()) {
    const auto* mine = templates->get_object().if_contains(turn.session.language);
    const auto* list = mine != nullptr && mine->is_object() ? mine->get_object().if_contains(kind) : nullptr;
    if (list != nullptr && list->is_array()) {
      for (const auto& v : list->get_array()) {
        if (v.is_string() && !v.get_string().empty()) out.emplace_back(v.get_string());
      }
    }
  }
  const std::size_t own = out.size();
  const auto& shared = SharedPhrases(turn.session.language, kind);
  out.insert(out.end(), shared.begin(), shared.end());
  return {std::move(out), own};
}

// The variant with its {placeholder} replaced by `slot`; a sentence put inside another loses its capital
// ("Well, we lose leads…"), except "I".
std::string Fill(std::string text, std::string_view slot) {
  const auto open = text.find('{');
  const auto close = open == std::string::npos ? std::string::npos : text.find('}', open);
  if (close == std::string::npos) return text;
  std::string value(slot);
  // Inside a sentence: after a space that does not follow a sentence end.
  const char before = open >= 2 ? text[open - 2] : '.';
  const bool inside = open >= 2 && text[open - 1] == ' ' && before != '.' && before != '!' && before != '?';
  if (inside && value.size() > 1 && value[0] >= 'A' && value[0] <= 'Z' && value[1] != ' ' && value[1] != '\'') {
    value[0] = static_cast<char>(value[0] - 'A' + 'a');
  }
  text.replace(open, close - open + 1, value);
  return text;
}

// Joins two pieces of a reply: a space between Latin sentences, nothing between Chinese ones.
void Append(std::string& text, std::string_view piece) {
  if (!text.empty() && !core::ContainsHan(piece)) text += ' ';
  text += piece;
}

}  // namespace

const std::vector<std::string>& SharedPhrases(std::string_view language, std::string_view kind) {
  static const std::vector<std::string> kNone;
  const auto& book = Shared();
  auto by_language = book.find(language);
  if (by_language == book.end()) by_language = book.find("en");
  const auto variants = by_language->second.find(kind);
  return variants == by_language->second.end() ? kNone : variants->second;
}

std::vector<std::string> PhraseKinds() {
  std::vector<std::string> out;
  for (const auto& [kind, variants] : Shared().at("en")) out.push_back(kind);
  return out;
}

std::string SentenceKey(std::string_view sentence) {
  std::string key;
  for (const char c : core::FoldText(sentence)) {
    if (c != ' ' && c != '.' && c != '!' && c != '?' && c != ',') key.push_back(c);
  }
  for (std::string_view mark : {"。", "？", "！", "，", "…"}) {
    for (auto at = key.find(mark); at != std::string::npos; at = key.find(mark)) key.erase(at, mark.size());
  }
  return key;
}

Wording Compose(const conversation::TurnContext& turn, const std::vector<Beat>& beats) {
  std::set<std::string> said;
  for (const auto& line : turn.history) {
    if (line.speaker != "customer") continue;
    for (const auto& sentence : core::SplitSentences(line.text)) said.insert(SentenceKey(sentence));
  }
  Wording out;
  std::set<std::string> leads;  // the words before the slot of each variant said in this reply ("Well, ")
  for (std::size_t b = 0; b < beats.size(); ++b) {
    const auto& beat = beats[b];
    const auto [variants, own] = Variants(turn, beat.kind);
    if (variants.empty()) continue;
    const std::uint64_t start =
        Mix(turn.seed ^ Mix(static_cast<std::uint64_t>(turn.turn_index)) ^ std::hash<std::string>{}(beat.kind));
    for (std::size_t i = 0; i < variants.size(); ++i) {
      // The persona's own variants first, then the shared ones; each group from a seeded start.
      const std::size_t group = i < own ? own : variants.size() - own;
      const std::size_t base = i < own ? 0 : own;
      const std::size_t pick = base + (start + (i - base)) % group;
      const std::string& variant = variants[pick];
      const std::string lead = variant.substr(0, std::min(variant.find('{'), variant.size()));
      if (!lead.empty() && lead != variant && leads.contains(lead)) continue;  // "Well, … Well, …"
      const std::string text = Fill(variant, beat.slot);
      const auto sentences = core::SplitSentences(text);
      if (sentences.empty()) continue;
      bool fresh = true;
      for (const auto& sentence : sentences) fresh = fresh && !said.contains(SentenceKey(sentence));
      if (!fresh) continue;
      for (const auto& sentence : sentences) said.insert(SentenceKey(sentence));
      if (!lead.empty() && lead != variant) leads.insert(lead);
      Append(out.text, text);
      out.said.push_back(b);
      break;
    }
  }
  return out;
}

}  // namespace salesboost::brain::customer
