#include "knowledge/index/search_lexicon.hpp"

#include <algorithm>

#include "core/embedded_file.hpp"
#include "core/text.hpp"
#include "knowledge/index/search_lexicon_data.hpp"

namespace salesboost::knowledge {
namespace {

// Each line without its comment, trimmed; empty lines skipped.
template <typename Emit>
void ForEachLine(std::string_view text, Emit&& emit) {
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    line = line.substr(0, std::min(line.find('#'), line.size()));
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    emit(line);
  }
}

bool IsAsciiWord(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

SearchLexicon::SearchLexicon(std::string_view stop_words, std::string_view synonyms) {
  ForEachLine(stop_words, [&](std::string_view line) {
    while (!line.empty()) {
      const auto space = std::min(line.find_first_of(" \t"), line.size());
      if (space > 0) stop_words_.insert(core::FoldText(line.substr(0, space)));
      line.remove_prefix(std::min(space + 1, line.size()));
    }
  });
  ForEachLine(synonyms, [&](std::string_view line) {
    const auto arrow = line.find("=>");
    std::vector<Member> group;
    const auto add = [&](std::string_view items, bool trigger) {
      for (auto& item : core::SplitCommaList(items)) {
        auto folded = core::FoldText(item);
        const bool phrase = !IsAsciiWord(folded);
        group.push_back(
            {.text = phrase ? std::move(folded) : Stem(std::move(folded)), .phrase = phrase, .trigger = trigger});
      }
    };
    add(line.substr(0, arrow), true);
    if (arrow != std::string_view::npos) add(line.substr(arrow + 2), false);
    if (group.size() > 1) groups_.push_back(std::move(group));
  });
}

std::string SearchLexicon::Stem(std::string term) {
  if (term.size() <= 3 || !IsAsciiWord(term)) return term;
  const auto ends = [&](std::string_view suffix) { return std::string_view(term).ends_with(suffix); };
  if (ends("ies") && term.size() > 4) return term.replace(term.size() - 3, 3, "y");  // companies -> company
  if (ends("s") && !ends("ss") && !ends("us")) term.pop_back();                      // costs -> cost
  if (ends("ing") && term.size() > 5) {
    term.resize(term.size() - 3);  // pricing -> pric
  } else if (ends("ed") && term.size() > 4 && term[term.size() - 3] != 'e') {
    term.resize(term.size() - 2);  // decided -> decid; need, feed stay
  }
  if (ends("e") && term.size() > 3) term.pop_back();  // price -> pric, decide -> decid
  return term;
}

std::vector<std::vector<std::string>> SearchLexicon::Expansions(std::string_view folded_query,
                                                                const std::vector<std::string>& stems) const {
  std::vector<std::vector<std::string>> out;
  for (const auto& group : groups_) {
    const bool mentioned = std::any_of(group.begin(), group.end(), [&](const Member& m) {
      return m.trigger && (m.phrase ? core::ContainsPhrase(folded_query, m.text)
                                    : std::find(stems.begin(), stems.end(), m.text) != stems.end());
    });
    if (!mentioned) continue;
    auto& members = out.emplace_back();
    members.reserve(group.size());
    for (const auto& m : group) members.push_back(m.text);
  }
  return out;
}

const SearchLexicon& BuiltinLexicon() {
  static const SearchLexicon lexicon(*core::FindEmbeddedFile(SearchLexiconFiles(), "stop_words.txt"),
                                     *core::FindEmbeddedFile(SearchLexiconFiles(), "synonyms.txt"));
  return lexicon;
}

}  // namespace salesboost::knowledge
