// VectorStore: the port to an external vector database that holds the
// knowledge base's children as points (infra::QdrantVectorStore). Each point
// carries the child's dense embedding (when there is one), its BM25 term
// weights as a sparse vector, and the payload the filters need. A search
// returns both ranked lists (dense and lexical) in one exchange; KnowledgeIndex
// fuses them exactly as it fuses its own. Points are keyed by the callers'
// 64-bit chunk keys, so writing a point again replaces it.
//
// Every call is asynchronous and returns kUnavailable or kDeadlineExceeded
// when the store cannot be reached in time (callers degrade to the in-process
// BM25 list); implementations are thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "knowledge/index/scored_key.hpp"

namespace salesboost::knowledge {

// Term -> weight, terms as stable 32-bit indexes (sorted, each once).
struct SparseVector {
  std::vector<std::uint32_t> indices;
  std::vector<float> values;
};

// The index of a term in sparse vectors: FNV-1a over its UTF-8 bytes. Two
// terms may share one (their weights add); with 2^32 indexes that is rare.
std::uint32_t TermIndex(std::string_view term);
// Weighted terms as a sparse vector (colliding terms' weights summed).
SparseVector ToSparseVector(const std::vector<std::pair<std::string, float>>& weights);

struct VectorPoint {
  std::uint64_t key = 0;  // the child's chunk key
  std::string tenant_id;
  std::string document_id;
  std::string collection;
  std::string type;
  std::string language;  // empty: a language-neutral document
  std::optional<std::vector<float>> dense;
  SparseVector sparse;
};

// Which points a search may return: the tenant's, in any of `collections`
// (empty: every collection), of `type` (empty: every type), in `language` or
// neutral (empty: every language).
struct VectorFilter {
  std::string tenant_id;
  std::vector<std::string> collections;
  std::string type;
  std::string language;
};

struct VectorQuery {
  VectorFilter filter;
  std::optional<std::vector<float>> dense;  // none: no dense list
  SparseVector sparse;                      // empty: no lexical list
  std::size_t limit = 50;                   // per list
};

// The two ranked lists of one search, best first (ties by key).
struct RankedLists {
  std::vector<ScoredKey> sparse;
  std::vector<ScoredKey> dense;
};

class VectorStore {
 public:
  virtual ~VectorStore() = default;

  // Creates the collection and its payload indexes when missing, with a dense
  // vector of `dimensions` values (0: lexical vectors only). Returns true when
  // it was created now (the caller then writes every point). Safe to repeat.
  virtual boost::asio::awaitable<core::Result<bool>> Prepare(std::size_t dimensions) = 0;
  // Writes points in batches; retried batches write the same points again.
  virtual boost::asio::awaitable<core::Result<void>> Upsert(std::vector<VectorPoint> points) = 0;
  // Replaces the lexical vectors of points that exist (the BM25 weights move
  // with the corpus' average child length); the dense vectors stay.
  virtual boost::asio::awaitable<core::Result<void>> UpdateLexical(std::vector<VectorPoint> points) = 0;
  // Deletes every point of a document.
  virtual boost::asio::awaitable<core::Result<void>> DeleteDocument(std::string tenant_id, std::string document_id) = 0;
  virtual boost::asio::awaitable<core::Result<RankedLists>> Query(VectorQuery query) = 0;
};

}  // namespace salesboost::knowledge
