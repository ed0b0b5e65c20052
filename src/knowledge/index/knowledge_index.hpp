// KnowledgeIndex: the searchable state of the knowledge base in memory:
// documents, their parent and child chunks, BM25 over the children and,
// when an embeddings provider is configured, a VectorIndex over their vectors.
//
// Search runs both retrievers over the children that pass the filters
// (tenant, collection, document type, language), fuses the two ranked lists
// by reciprocal rank (score = sum of weight / (k + rank)), expands each child
// to its parent, keeps each parent once (its best child's score) and drops
// parents whose text repeats one already returned. Search is Retrieve (the
// two ranked lists from the in-process retrievers) then Fuse; with an
// external VectorStore the lists come from it instead and Fuse runs the same.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "knowledge/index/sparse_index.hpp"
#include "knowledge/index/vector_index.hpp"
#include "knowledge/index/vector_store.hpp"

namespace salesboost::knowledge {

struct DocumentInfo {
  std::string id;
  std::string tenant_id;
  std::string collection;
  std::string name;
  std::string type;      // product, faq, case, comparison, playbook, compliance, or empty
  std::string language;  // "zh", "en", "ja" or empty (any)
  std::string version;
  std::string format{};  // pdf, markdown, ...: a PDF's pages are cited, other formats' are not
};

struct IndexedChunk {
  std::string id;
  std::string parent_id;  // empty for parents
  int page = 1;
  int page_end = 0;  // the last page (a parent may span pages); 0: the same as `page`
  std::vector<std::string> heading_path;
  std::string text;
  TermCounts terms;  // children only
};

struct SearchQuery {
  std::string text;
  std::optional<std::vector<float>> vector;  // the query's embedding, when dense search is on
  std::size_t k = 5;
  std::string tenant_id;
  std::vector<std::string> collections;  // any of these; empty: every collection
  std::string type;                      // empty: every type
  std::string language;                  // empty: every language; else that language's documents and neutral ones
  double rrf_k = 60;
  double sparse_weight = 1;
  double dense_weight = 1;
  std::size_t candidates = 50;  // from each retriever, before fusion
};

struct SearchHit {
  std::string chunk_id;  // the parent's
  std::string document_id;
  std::string source;  // the document's name
  std::string collection{};
  std::string type;
  std::string heading;  // the innermost heading above the parent
  int page = 1;         // the page of the best child's text (a child stays on one page)
  int first_page = 1;   // the pages the parent passage spans
  int last_page = 1;
  bool paged = false;       // the document has pages (a PDF); other formats are one page 1
  std::string citation;     // "source" or, for a PDF, "source, p. 2" / "source, pp. 1-2" (the passage's pages)
  std::string text;         // the parent's text
  double score = 0;         // the reciprocal-rank fusion of the two lists; orders the hits
  double sparse_score = 0;  // the best child's BM25 score; 0 when BM25 missed it
  double dense_score = 0;   // the best child's vector similarity (cosine); 0 when the vector list missed it
  int sparse_rank = 0;      // of the best child in the BM25 list, from 1; 0 when that list missed it
  int dense_rank = 0;       // likewise in the vector list
};

struct IndexStats {
  std::size_t documents = 0;
  std::size_t parents = 0;
  std::size_t children = 0;
  std::size_t vectors = 0;
};

// The 64-bit key of a chunk id (16 hex digits).
std::uint64_t ChunkKey(std::string_view chunk_id);

// "ja" when kana (hiragana, katakana) are a tenth or more of the Han and
// kana characters (Chinese text has none), else "zh" when Han characters are
// a fifth or more of the letters, "en" when there are Latin letters, else empty.
std::string DetectLanguage(std::string_view text);

// "p. 2" or "pp. 1-2": how a passage's pages are cited.
std::string CitePages(int first, int last);

class KnowledgeIndex {
 public:
  // Adds a document (replacing what was indexed under its id).
  void Put(DocumentInfo document, std::vector<IndexedChunk> parents, std::vector<IndexedChunk> children);
  void Remove(const std::string& document_id);

  // Dense retrieval: set once the embedding size is known (or loaded).
  void SetDense(std::unique_ptr<VectorIndex> dense);
  VectorIndex* Dense() const;
  // Children that have no vector yet: (key, text).
  std::vector<std::pair<std::uint64_t, std::string>> MissingVectors() const;
  bool HasChild(std::uint64_t key) const;

  std::vector<SearchHit> Search(const SearchQuery& query) const;
  // The BM25 list and (with a VectorIndex and a query vector) the dense list
  // over the children that pass the query's filters.
  RankedLists Retrieve(const SearchQuery& query) const;
  // Fuses two ranked lists into hits. Keys the index does not hold or that
  // fail the query's filters are dropped (a list from an external store may
  // be a moment behind); ranks count what is left.
  std::vector<SearchHit> Fuse(const SearchQuery& query, const RankedLists& lists) const;

  // For an external VectorStore: the query's weighted terms, and a document's
  // children as points (no dense vector yet) with the text to embed.
  SparseVector QueryLexicalVector(std::string_view text) const;
  struct ChildPoint {
    VectorPoint point;
    std::string text;
  };
  std::vector<ChildPoint> PointsOf(const std::string& document_id) const;
  std::vector<std::string> DocumentIds() const;
  IndexStats Stats() const;

 private:
  struct Child {
    std::uint32_t document;  // index into documents_
    std::uint64_t parent;
    int page;
    std::string text;
  };
  struct Parent {
    std::uint32_t document;
    IndexedChunk chunk;
  };
  struct Document {
    DocumentInfo info;
    std::vector<std::uint64_t> parents;
    std::vector<std::uint64_t> children;
    bool alive = false;
  };
  void RemoveLocked(const std::string& document_id);
  std::vector<char> AllowedLocked(const SearchQuery& query) const;

  mutable std::shared_mutex mutex_;
  std::vector<Document> documents_;
  std::unordered_map<std::string, std::uint32_t> document_slots_;
  std::vector<std::uint32_t> free_slots_;  // of removed documents, reused by Put
  std::unordered_map<std::uint64_t, Parent> parents_;
  std::unordered_map<std::uint64_t, Child> children_;
  SparseIndex sparse_;
  std::unique_ptr<VectorIndex> dense_;
};

}  // namespace salesboost::knowledge
