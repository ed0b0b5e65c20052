// SearchLexicon: what the sparse index knows about words beyond their
// spelling: stop words (how a question is asked, not what it is about),
// synonym groups (what a customer may call the same thing) and a light
// English stemmer (plural "s", "ing", "ed"). The built-in lexicon is read from
// data/search/stop_words.txt and data/search/synonyms.txt, embedded in the
// binary. Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace salesboost::knowledge {

class SearchLexicon {
 public:
  // `stop_words`: one word per line or several separated by spaces;
  // `synonyms`: one comma-separated group per line, or "a, b => c, d" (a
  // query holding a or b also searches c and d, not the other way round).
  // '#' starts a comment.
  SearchLexicon(std::string_view stop_words, std::string_view synonyms);

  // Whether a folded word (core::FoldText) is a stop word.
  bool IsStopWord(std::string_view word) const { return stop_words_.contains(std::string(word)); }
  // The term an index term is counted under: English words lose a plural
  // "s", then "ing" or "ed", then a final "e" ("prices", "pricing", "priced"
  // -> "pric"; "class", "need" keep theirs); anything else is kept.
  static std::string Stem(std::string term);
  // Every synonym group that `folded_query` mentions, as all its members
  // (folded; English words stemmed). `stems`: the query's stemmed words.
  std::vector<std::vector<std::string>> Expansions(std::string_view folded_query,
                                                   const std::vector<std::string>& stems) const;

 private:
  struct Member {
    std::string text;  // folded
    bool phrase;       // several words or CJK: matched anywhere; else a whole stemmed word
    bool trigger;      // a query that holds it mentions the group (false right of "=>")
  };
  std::unordered_set<std::string> stop_words_;
  std::vector<std::vector<Member>> groups_;
};

// The lexicon built from the embedded data files, parsed once.
const SearchLexicon& BuiltinLexicon();

}  // namespace salesboost::knowledge
