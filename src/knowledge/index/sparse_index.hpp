// SparseIndex: BM25 (k1 1.2, b 0.75) over an in-memory inverted index.
// Terms are ICU words of the NFKC-folded text plus single CJK characters, so
// a query segmented differently from the passage still meets it; English
// words are counted under a light stem ("costs", "cost" -> "cost"). A query drops its stop words (and
// their characters) unless it has nothing else, and adds the other members
// of the synonym groups it mentions at a lower weight; the words of one
// group count as one meaning, scored by the best of them (see SearchLexicon).
// Entries are added and removed one at a time (incremental); keys are the
// callers' 64-bit chunk keys. Not thread-safe: the owner locks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "knowledge/index/scored_key.hpp"
#include "knowledge/index/search_lexicon.hpp"

namespace salesboost::knowledge {

using TermCounts = std::vector<std::pair<std::string, int>>;

// The index terms of `text` with their counts, sorted by term.
TermCounts CountTerms(std::string_view text);
// "term\x1f" "count\x1e" ...: how term counts are stored with a chunk.
std::string EncodeTerms(const TermCounts& terms);
TermCounts DecodeTerms(std::string_view encoded);

class SparseIndex {
 public:
  // `lexicon` outlives the index.
  explicit SparseIndex(const SearchLexicon& lexicon = BuiltinLexicon()) : lexicon_(&lexicon) {}

  // `group` is the caller's filter unit (a document): Search takes the groups it may return.
  void Add(std::uint64_t key, std::uint32_t group, const TermCounts& terms);
  void Remove(std::uint64_t key);
  std::size_t Size() const { return by_key_.size(); }

  // The best `k` entries for the terms of `query` whose group is allowed
  // (allowed[group] != 0; null allows all), best first.
  std::vector<ScoredKey> Search(std::string_view query, std::size_t k, const std::vector<char>* allowed) const;

  // What Search scores, as weighted terms for a sparse dot product whose
  // server multiplies each query term by its IDF (Qdrant's "idf" modifier):
  // the query's terms with their weights (1, or the piece and synonym
  // weights), and an entry's terms with the BM25 term-frequency factor
  // f * (k1 + 1) / (f + k1 * (1 - b + b * length / average length)) at the
  // current average length. Terms of one synonym group are listed each (a dot
  // product sums them where Search keeps their best). Empty for an unknown key.
  std::vector<std::pair<std::string, float>> QueryWeights(std::string_view query) const;
  std::vector<std::pair<std::string, float>> EntryWeights(std::uint64_t key) const;

 private:
  struct QueryTerm {
    std::uint32_t id;
    float weight;
    std::uint32_t meaning;  // terms of one meaning (a synonym group) score their best, not their sum
  };
  // The indexed terms of a query, each once, with their weights, by meaning.
  std::vector<QueryTerm> QueryTerms(std::string_view query) const;

  struct Posting {
    std::uint32_t slot;
    std::uint32_t count;
  };
  struct Entry {
    std::uint64_t key = 0;
    std::uint32_t group = 0;
    std::uint32_t length = 0;
    bool alive = false;
    std::vector<std::uint32_t> terms;
  };
  const SearchLexicon* lexicon_;
  std::unordered_map<std::string, std::uint32_t> term_ids_;
  std::vector<std::string> term_names_;         // by term id
  std::vector<std::vector<Posting>> postings_;  // by term id, ascending slot
  std::vector<Entry> entries_;                  // by slot; removed entries stay dead
  std::vector<float> lengths_;                  // by slot, for the scoring loop
  std::unordered_map<std::uint64_t, std::uint32_t> by_key_;
  double total_length_ = 0;
};

}  // namespace salesboost::knowledge
