#include "brain/in_memory_knowledge.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "knowledge/text/front_matter.hpp"

namespace salesboost::brain {
namespace {

// Sparse-index groups: a passage's language decides which searches may return it.
enum Group : std::uint32_t { kAnyLanguage = 0, kChinese = 1, kEnglish = 2, kGroups = 3 };

Group GroupOf(std::string_view name) {
  if (name.ends_with(".zh.md")) return kChinese;
  if (name.ends_with(".en.md")) return kEnglish;
  return kAnyLanguage;
}

}  // namespace

InMemoryKnowledge::InMemoryKnowledge(const std::vector<core::EmbeddedFile>& documents) {
  for (const auto& document : documents) {
    const Group group = GroupOf(document.name);
    std::string text(document.content);
    const std::string type = knowledge::TakeFrontMatterType(text);
    std::string_view rest = text;
    std::string heading;
    std::string body;
    auto flush = [&] {
      if (body.empty()) return;
      const auto key = static_cast<std::uint64_t>(passages_.size());
      index_.Add(key, group, knowledge::CountTerms(fmt::format("{}\n{}", heading, body)));
      passages_.push_back(
          Passage{.text = body, .source = std::string(document.name), .heading = heading, .type = type});
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
}

std::vector<conversation::KnowledgeHit> InMemoryKnowledge::Find(const std::string& query, const std::string& language,
                                                                int k) const {
  // Neutral passages always; language-specific ones when the query's language matches or is open.
  std::vector<char> allowed(kGroups, 1);
  if (language == "zh") allowed[kEnglish] = 0;
  if (language == "en") allowed[kChinese] = 0;
  if (!language.empty() && language != "zh" && language != "en") allowed[kChinese] = allowed[kEnglish] = 0;
  std::vector<conversation::KnowledgeHit> hits;
  for (const auto& scored : index_.Search(query, static_cast<std::size_t>(std::max(k, 0)), &allowed)) {
    const auto& passage = passages_[scored.key];
    hits.push_back(conversation::KnowledgeHit{.text = passage.text,
                                              .source = passage.source,
                                              .heading = passage.heading,
                                              .type = passage.type,
                                              .score = scored.score,
                                              .lexical_score = scored.score});
  }
  return hits;
}

boost::asio::awaitable<core::Result<std::vector<conversation::KnowledgeHit>>> InMemoryKnowledge::Search(
    std::string query, std::string language, int k) {
  co_return Find(query, language, k);
}

}  // namespace salesboost::brain
