#include "brain/in_memory_knowledge.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "knowledge/text/front_matter.hpp"

namespace salesboost::brain {
namespace {

// A passage's language decides which searches may return it; its sparse-index
// group is its collection's index times kLanguages plus its Language.
enum Language : std::uint32_t { kAnyLanguage = 0, kChinese = 1, kEnglish = 2, kLanguages = 3 };

Language LanguageOf(std::string_view name) {
  if (name.ends_with(".zh.md")) return kChinese;
  if (name.ends_with(".en.md")) return kEnglish;
  return kAnyLanguage;
}

constexpr std::string_view kDefaultCollection = "default";  // a document's when its front matter names none

}  // namespace

InMemoryKnowledge::InMemoryKnowledge(const std::vector<core::EmbeddedFile>& documents) {
  for (const auto& document : documents) {
    std::string text(document.content);
    auto front = knowledge::TakeFrontMatter(text);
    if (front.collection.empty()) front.collection = kDefaultCollection;
    auto known = std::find(collections_.begin(), collections_.end(), front.collection);
    if (known == collections_.end()) known = collections_.insert(known, front.collection);
    const auto collection = static_cast<std::uint32_t>(known - collections_.begin());
    const std::uint32_t group = collection * kLanguages + LanguageOf(document.name);
    std::string_view rest = text;
    std::string heading;
    std::string body;
    auto flush = [&] {
      if (body.empty()) return;
      const auto key = static_cast<std::uint64_t>(passages_.size());
      index_.Add(key, group, knowledge::CountTerms(fmt::format("{}\n{}", heading, body)));
      passages_.push_back(Passage{.text = body,
                                  .source = std::string(document.name),
                                  .heading = heading,
                                  .type = front.type,
                                  .collection = collection});
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
        if (!body.empty()) body.push_back('\n');
        body.append(line);
      }
    }
    flush();
  }
}

std::vector<conversation::KnowledgeHit> InMemoryKnowledge::Find(const conversation::KnowledgeQuery& query) const {
  // Neutral passages always; language-specific ones when the query's language matches or is open.
  bool language[kLanguages] = {true, true, true};
  if (query.language == "zh") language[kEnglish] = false;
  if (query.language == "en") language[kChinese] = false;
  if (!query.language.empty() && query.language != "zh" && query.language != "en")
    language[kChinese] = language[kEnglish] = false;
  std::vector<char> allowed(collections_.size() * kLanguages, 0);
  for (const auto& name : query.collections) {
    const auto known = std::find(collections_.begin(), collections_.end(), name);
    if (known == collections_.end()) continue;
    const auto first = static_cast<std::size_t>(known - collections_.begin()) * kLanguages;
    for (std::size_t l = 0; l < kLanguages; ++l) allowed[first + l] = static_cast<char>(language[l]);
  }
  std::vector<conversation::KnowledgeHit> hits;
  if (std::find(allowed.begin(), allowed.end(), 1) == allowed.end()) return hits;
  for (const auto& scored : index_.Search(query.text, static_cast<std::size_t>(std::max(query.k, 0)), &allowed)) {
    const auto& passage = passages_[scored.key];
    hits.push_back(conversation::KnowledgeHit{.text = passage.text,
                                              .source = passage.source,
                                              .collection = collections_[passage.collection],
                                              .heading = passage.heading,
                                              .type = passage.type,
                                              .score = scored.score,
                                              .lexical_score = scored.score});
  }
  return hits;
}

boost::asio::awaitable<core::Result<std::vector<conversation::KnowledgeHit>>> InMemoryKnowledge::Search(
    conversation::KnowledgeQuery query) {
  co_return Find(query);
}

}  // namespace salesboost::brain
