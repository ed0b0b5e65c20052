// InMemoryKnowledge: BM25 (knowledge::SparseIndex, the knowledge base's own
// index) over Markdown documents held in memory, one passage per section (a
// heading and its paragraphs; the passage is the paragraphs, their lines
// kept apart by line breaks). Documents named
// *.zh.md or *.en.md serve that language only. A document may start with a
// front-matter block ("---", "type: faq", "collection: card-upgrade", "---")
// naming its type and its collection ("default" when it names none); a search
// reads only the collections its query names. Built once; thread-safe reads.
#pragma once

#include <string>
#include <vector>

#include "conversation/knowledge.hpp"
#include "core/embedded_file.hpp"
#include "knowledge/index/sparse_index.hpp"

namespace salesboost::brain {

class InMemoryKnowledge final : public conversation::KnowledgeSearch {
 public:
  explicit InMemoryKnowledge(const std::vector<core::EmbeddedFile>& documents);

  boost::asio::awaitable<core::Result<std::vector<conversation::KnowledgeHit>>> Search(
      conversation::KnowledgeQuery query) override;
  std::vector<conversation::KnowledgeHit> Find(const conversation::KnowledgeQuery& query) const;
  std::size_t Passages() const { return passages_.size(); }

 private:
  struct Passage {
    std::string text;
    std::string source;
    std::string heading;
    std::string type;
    std::uint32_t collection = 0;  // index into collections_
  };
  std::vector<std::string> collections_;  // their names, in the order first seen
  std::vector<Passage> passages_;         // by sparse-index key
  knowledge::SparseIndex index_;  // read-only after construction; a passage's group: its collection and language
};

// The demo knowledge documents shipped in the binary (data/demo/knowledge/).
const std::vector<core::EmbeddedFile>& DemoKnowledgeFiles();

}  // namespace salesboost::brain
