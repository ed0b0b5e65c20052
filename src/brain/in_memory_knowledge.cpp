#include "brain/in_memory_knowledge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "knowledge/markup.hpp"
#include "knowledge/sparse_index.hpp"

namespace salesboost::brain {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

std::string LanguageOf(std::string_view name) {
  if (name.ends_with(".zh.md")) return "zh";
  if (name.ends_with(".en.md")) return "en";
  return {};
}

}  // namespace

InMemoryKnowledge::InMemoryKnowledge(const std::vector<core::EmbeddedFile>& documents) {
  for (const auto& document : documents) {
    const std::string language = LanguageOf(document.name);
    std::string text(document.content);
    const std::string type = knowledge::TakeFrontMatterType(text);
    std::string_view rest = text;
    std::string heading;
    std::string body;
    auto flush = [&] {
      if (body.empty()) return;
      Passage passage{.text = body,
                      .source = std::string(document.name),
                      .heading = heading,
                      .type = type,
                      .language = language,
                      .terms = {},
                      .length = 0};
      for (const auto& [term, count] : knowledge::CountTerms(fmt::format("{}\n{}", heading, body))) {
        passage.terms[term] = count;
        passage.length += count;
      }
      passages_.push_back(std::move(passage));
      body.clear();
    };
    while (!rest.empty()) {
      const auto end = std::min(rest.find('\n'), rest.size());
      const std::string_view line = rest.substr(0, end);
      rest.remove_prefix(std::min(end + 1, rest.size()));
      if (line.starts_with("#")) {
        flush();
        heading = std::string(line.substr(
            line.find_first_not_of("# ") == std::string_view::npos ? line.size() : line.find_first_not_of("# ")));
      } else if (!line.empty()) {
        if (!body.empty()) body.push_back(' ');
        body.append(line);
      }
    }
    flush();
  }
  double total = 0;
  for (const auto& passage : passages_) {
    total += passage.length;
    for (const auto& [term, count] : passage.terms) ++document_frequency_[term];
  }
  if (!passages_.empty()) average_length_ = std::max(1.0, total / static_cast<double>(passages_.size()));
}

std::vector<conversation::KnowledgeHit> InMemoryKnowledge::Find(const std::string& query, const std::string& language,
                                                                int k) const {
  std::vector<std::string> terms;
  for (auto& [term, count] : knowledge::CountTerms(query)) terms.push_back(std::move(term));
  const auto n = static_cast<double>(passages_.size());
  std::vector<conversation::KnowledgeHit> hits;
  for (const auto& passage : passages_) {
    if (!passage.language.empty() && !language.empty() && passage.language != language) continue;
    double score = 0;
    for (const auto& term : terms) {
      const auto tf = passage.terms.find(term);
      if (tf == passage.terms.end()) continue;
      const double df = document_frequency_.at(term);
      const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
      const double f = tf->second;
      score += idf * f * (kK1 + 1) / (f + kK1 * (1 - kB + kB * passage.length / average_length_));
    }
    if (score > 0) {
      hits.push_back(conversation::KnowledgeHit{.text = passage.text,
                                                .source = passage.source,
                                                .heading = passage.heading,
                                                .type = passage.type,
                                                .score = score,
                                                .lexical_score = score});
    }
  }
  std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  if (hits.size() > static_cast<std::size_t>(std::max(k, 0))) hits.resize(static_cast<std::size_t>(std::max(k, 0)));
  return hits;
}

boost::asio::awaitable<core::Result<std::vector<conversation::KnowledgeHit>>> InMemoryKnowledge::Search(
    std::string query, std::string language, int k) {
  co_return Find(query, language, k);
}

}  // namespace salesboost::brain
