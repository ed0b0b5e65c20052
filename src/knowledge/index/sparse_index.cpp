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

template <typename Emit>
void ForEachTerm(std::string_view text, Emit&& emit) {
  for (auto& word : core::SegmentWords(core::FoldText(text))) {
    if (static_cast<unsigned char>(word.front()) >= 0xE0 && word.size() > 3) {
      for (std::size_t i = 0; i < word.size();) {
        const std::size_t n = std::max<std::size_t>(1, core::Utf8SequenceLength(std::string_view(word).substr(i)));
        emit(word.substr(i, n));
        i += n;
      }
    }
    emit(std::move(word));
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
  const auto slot = static_cast<std::uint32_t>(entries_.size());
  Entry entry{.key = key, .group = group, .length = 0, .alive = true, .terms = {}};
  entry.terms.reserve(terms.size());
  for (const auto& [term, count] : terms) {
    auto [it, added] = term_ids_.try_emplace(term, static_cast<std::uint32_t>(postings_.size()));
    if (added) postings_.emplace_back();
    postings_[it->second].push_back({slot, static_cast<std::uint32_t>(count)});
    entry.terms.push_back(it->second);
    entry.length += static_cast<std::uint32_t>(count);
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

std::vector<ScoredKey> SparseIndex::Search(std::string_view query, std::size_t k,
                                           const std::vector<char>* allowed) const {
  std::vector<std::uint32_t> terms;
  ForEachTerm(query, [&](const std::string& term) {
    const auto it = term_ids_.find(term);
    if (it != term_ids_.end()) terms.push_back(it->second);
  });
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  const double n = static_cast<double>(by_key_.size());
  if (terms.empty() || n == 0 || k == 0) return {};
  const double average = std::max(1.0, total_length_ / n);
  // Accumulators reused across searches on this thread; only touched slots are reset.
  thread_local std::vector<float> scores;
  thread_local std::vector<std::uint32_t> touched;
  if (scores.size() < entries_.size()) scores.resize(entries_.size(), 0.0F);
  touched.clear();
  for (const auto term : terms) {
    const auto& list = postings_[term];
    const double df = static_cast<double>(list.size());
    if (df == 0) continue;
    const auto idf = static_cast<float>(std::log(1 + (n - df + 0.5) / (df + 0.5)));
    const auto base = static_cast<float>(kK1 * (1 - kB));
    const auto slope = static_cast<float>(kK1 * kB / average);
    constexpr auto kScale = static_cast<float>(kK1 + 1);
    for (const auto& posting : list) {
      const auto f = static_cast<float>(posting.count);
      float& score = scores[posting.slot];
      if (score == 0) touched.push_back(posting.slot);
      score += idf * f * kScale / (f + base + slope * lengths_[posting.slot]);
    }
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

}  // namespace salesboost::knowledge
