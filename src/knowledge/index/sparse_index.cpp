#include "knowledge/index/sparse_index.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <utility>

#include "core/text.hpp"
#include "core/utf8.hpp"

namespace salesboost::knowledge {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr float kPieceWeight = 0.5F;    // a single character of a longer CJK word in the query
constexpr float kSynonymWeight = 0.8F;  // a word the query does not hold, added from its synonym group

// A segmented word's terms: a CJK word of two characters or more gives each
// character too (so a query segmented differently still meets it), then itself.
template <typename Emit>
void ForEachPiece(std::string word, Emit&& emit) {
  if (static_cast<unsigned char>(word.front()) >= 0xE0 && word.size() > 3) {
    for (std::size_t i = 0; i < word.size();) {
      const std::size_t n = std::max<std::size_t>(1, core::Utf8SequenceLength(std::string_view(word).substr(i)));
      emit(word.substr(i, n), false);
      i += n;
    }
  }
  emit(std::move(word), true);
}

template <typename Emit>
void ForEachTerm(std::string_view text, Emit&& emit) {
  for (auto& word : core::SegmentWords(core::FoldText(text))) {
    ForEachPiece(std::move(word), [&](std::string term, bool) { emit(std::move(term)); });
  }
}

}  // namespace

TermCounts CountTerms(std::string_view text) {
  std::map<std::string, int> counts;
  ForEachTerm(text, [&](std::string term) { ++counts[std::move(term)]; });
  return {counts.begin(), counts.end()};
}

std::string EncodeTerms(const TermCounts& terms) {
  std::string out;
  for (const auto& [term, count] : terms) {
    out += term;
    out += '\x1f';
    out += std::to_string(count);
    out += '\x1e';
  }
  return out;
}

TermCounts DecodeTerms(std::string_view encoded) {
  TermCounts out;
  while (!encoded.empty()) {
    const auto unit = encoded.find('\x1f');
    const auto record = encoded.find('\x1e');
    if (unit == std::string_view::npos || record == std::string_view::npos || unit > record) break;
    int count = 0;
    std::from_chars(encoded.data() + unit + 1, encoded.data() + record, count);
    out.emplace_back(std::string(encoded.substr(0, unit)), count);
    encoded.remove_prefix(record + 1);
  }
  return out;
}

void SparseIndex::Add(std::uint64_t key, std::uint32_t group, const TermCounts& terms) {
  Remove(key);
  // Terms are counted under their stems, so "costs" and "cost" are one term.
  std::map<std::string, std::uint32_t> stemmed;
  for (const auto& [term, count] : terms) stemmed[SearchLexicon::Stem(term)] += static_cast<std::uint32_t>(count);
  const auto slot = static_cast<std::uint32_t>(entries_.size());
  Entry entry{.key = key, .group = group, .length = 0, .alive = true, .terms = {}};
  entry.terms.reserve(stemmed.size());
  for (const auto& [term, count] : stemmed) {
    auto [it, added] = term_ids_.try_emplace(term, static_cast<std::uint32_t>(postings_.size()));
    if (added) {
      postings_.emplace_back();
      term_names_.push_back(term);
    }
    postings_[it->second].push_back({slot, count});
    entry.terms.push_back(it->second);
    entry.length += count;
  }
  total_length_ += entry.length;
  lengths_.push_back(static_cast<float>(entry.length));
  entries_.push_back(std::move(entry));
  by_key_[key] = slot;
}

void SparseIndex::Remove(std::uint64_t key) {
  const auto found = by_key_.find(key);
  if (found == by_key_.end()) return;
  const std::uint32_t slot = found->second;
  Entry& entry = entries_[slot];
  for (const auto term : entry.terms) {
    auto& list = postings_[term];
    const auto at =
        std::lower_bound(list.begin(), list.end(), slot, [](const Posting& p, std::uint32_t s) { return p.slot < s; });
    if (at != list.end() && at->slot == slot) list.erase(at);
  }
  total_length_ -= entry.length;
  lengths_[slot] = 0;
  entry = Entry{};
  by_key_.erase(found);
}

std::vector<SparseIndex::QueryTerm> SparseIndex::QueryTerms(std::string_view query) const {
  const std::string folded = core::FoldText(query);
  std::vector<QueryTerm> content;
  std::vector<QueryTerm> stop;
  std::vector<std::string> stems;  // of the content words, for the synonyms
  std::uint32_t meanings = 0;
  const auto add = [this](std::vector<QueryTerm>& list, const std::string& term, float weight, std::uint32_t meaning) {
    const auto it = term_ids_.find(term);
    if (it != term_ids_.end()) list.push_back({it->second, weight, meaning});
  };
  for (auto& word : core::SegmentWords(folded)) {
    const bool is_stop = lexicon_->IsStopWord(word);
    if (!is_stop) stems.push_back(SearchLexicon::Stem(word));
    ForEachPiece(std::move(word), [&](std::string term, bool whole) {
      add(is_stop ? stop : content, SearchLexicon::Stem(std::move(term)), whole ? 1.0F : kPieceWeight, meanings++);
    });
  }
  // A question of nothing but stop words ("可以吗") is searched with them.
  if (stems.empty()) content = std::move(stop);
  // A synonym group is one meaning: the query's own words of it keep their
  // weight, the others join at kSynonymWeight.
  for (const auto& group : lexicon_->Expansions(folded, stems)) {
    const std::uint32_t meaning = meanings++;
    for (const auto& member : group) {
      for (auto& word : core::SegmentWords(member)) {
        if (lexicon_->IsStopWord(word)) continue;
        const auto it = term_ids_.find(SearchLexicon::Stem(std::move(word)));
        if (it == term_ids_.end()) continue;
        const auto own = std::find_if(content.begin(), content.end(),
                                      [&](const QueryTerm& t) { return t.id == it->second && t.weight == 1.0F; });
        if (own != content.end())
          own->meaning = meaning;
        else
          content.push_back({it->second, kSynonymWeight, meaning});
      }
    }
  }
  // Each term once, at its highest weight, then grouped by meaning.
  std::sort(content.begin(), content.end(),
            [](const QueryTerm& a, const QueryTerm& b) { return a.id != b.id ? a.id < b.id : a.weight > b.weight; });
  content.erase(
      std::unique(content.begin(), content.end(), [](const QueryTerm& a, const QueryTerm& b) { return a.id == b.id; }),
      content.end());
  std::stable_sort(content.begin(), content.end(),
                   [](const QueryTerm& a, const QueryTerm& b) { return a.meaning < b.meaning; });
  return content;
}

std::vector<ScoredKey> SparseIndex::Search(std::string_view query, std::size_t k,
                                           const std::vector<char>* allowed) const {
  const auto terms = QueryTerms(query);
  const double n = static_cast<double>(by_key_.size());
  if (terms.empty() || n == 0 || k == 0) return {};
  const double average = std::max(1.0, total_length_ / n);
  // Accumulators reused across searches on this thread; only touched slots are reset.
  thread_local std::vector<float> scores;
  thread_local std::vector<float> best;  // of the current meaning
  thread_local std::vector<std::uint32_t> touched;
  thread_local std::vector<std::uint32_t> touched_best;
  if (scores.size() < entries_.size()) scores.resize(entries_.size(), 0.0F);
  if (best.size() < entries_.size()) best.resize(entries_.size(), 0.0F);
  touched.clear();
  const auto base = static_cast<float>(kK1 * (1 - kB));
  const auto slope = static_cast<float>(kK1 * kB / average);
  constexpr auto kScale = static_cast<float>(kK1 + 1);
  for (std::size_t begin = 0; begin < terms.size();) {
    std::size_t end = begin + 1;
    while (end < terms.size() && terms[end].meaning == terms[begin].meaning) ++end;
    // A meaning of one term (most) adds straight to the scores; several keep each entry's best first.
    const bool single = end - begin == 1;
    touched_best.clear();
    for (std::size_t t = begin; t < end; ++t) {
      const auto& list = postings_[terms[t].id];
      const double df = static_cast<double>(list.size());
      if (df == 0) continue;
      const auto idf = terms[t].weight * static_cast<float>(std::log(1 + (n - df + 0.5) / (df + 0.5)));
      for (const auto& posting : list) {
        const auto f = static_cast<float>(posting.count);
        const float score = idf * f * kScale / (f + base + slope * lengths_[posting.slot]);
        float& current = single ? scores[posting.slot] : best[posting.slot];
        if (current == 0) (single ? touched : touched_best).push_back(posting.slot);
        current = single ? current + score : std::max(current, score);
      }
    }
    for (const auto slot : touched_best) {
      float& score = scores[slot];
      if (score == 0) touched.push_back(slot);
      score += std::exchange(best[slot], 0.0F);
    }
    begin = end;
  }
  std::vector<ScoredKey> hits;
  hits.reserve(touched.size());
  for (const auto slot : touched) {
    const auto& entry = entries_[slot];
    const float score = std::exchange(scores[slot], 0.0F);
    if (allowed != nullptr && (*allowed)[entry.group] == 0) continue;
    hits.push_back({entry.key, score});
  }
  const auto better = [](const ScoredKey& a, const ScoredKey& b) {
    return a.score != b.score ? a.score > b.score : a.key < b.key;
  };
  if (hits.size() > k) {
    std::nth_element(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(), better);
    hits.resize(k);
  }
  std::sort(hits.begin(), hits.end(), better);
  return hits;
}

std::vector<std::pair<std::string, float>> SparseIndex::QueryWeights(std::string_view query) const {
  const auto terms = QueryTerms(query);
  std::vector<std::pair<std::string, float>> out;
  out.reserve(terms.size());
  for (const auto& term : terms) {
    if (!postings_[term.id].empty()) out.emplace_back(term_names_[term.id], term.weight);
  }
  return out;
}

std::vector<std::pair<std::string, float>> SparseIndex::EntryWeights(std::uint64_t key) const {
  const auto found = by_key_.find(key);
  if (found == by_key_.end()) return {};
  const std::uint32_t slot = found->second;
  const Entry& entry = entries_[slot];
  const double average = std::max(1.0, total_length_ / static_cast<double>(by_key_.size()));
  const double norm = kK1 * (1 - kB + kB * static_cast<double>(entry.length) / average);
  std::vector<std::pair<std::string, float>> out;
  out.reserve(entry.terms.size());
  for (const auto term : entry.terms) {
    const auto& list = postings_[term];
    const auto at =
        std::lower_bound(list.begin(), list.end(), slot, [](const Posting& p, std::uint32_t s) { return p.slot < s; });
    if (at == list.end() || at->slot != slot) continue;
    const auto f = static_cast<double>(at->count);
    out.emplace_back(term_names_[term], static_cast<float>(f * (kK1 + 1) / (f + norm)));
  }
  return out;
}

}  // namespace salesboost::knowledge
