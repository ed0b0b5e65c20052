// DenseVectors: the dense half of the knowledge index. Embeds children that
// have no vector yet in batches (an embeddings outage leaves them for a later
// Backfill), creates the VectorIndex once the embedding size is known, saves
// it to `file` with the model's name and size beside it (`file`.meta), and at
// start reloads it only when it was built by the same model. Also embeds
// search queries. Without an embedder it does nothing: retrieval is BM25
// only. Thread-safe; saves run one at a time.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/blocking_pool.hpp"
#include "core/logging.hpp"
#include "core/result.hpp"
#include "knowledge/embedder.hpp"
#include "knowledge/index/knowledge_index.hpp"
#include "knowledge/index/vector_index_factory.hpp"

namespace salesboost::knowledge {

struct DenseOptions {
  std::filesystem::path file;  // empty: the dense index is not saved
  std::size_t embed_batch = 32;
  std::chrono::milliseconds embed_budget{60000};       // one batch
  std::chrono::milliseconds query_embed_budget{2000};  // a search's query vector
};

class DenseVectors {
 public:
  struct Deps {
    KnowledgeIndex& index;
    Embedder* embedder;  // null: no dense retrieval
    const VectorIndexFactory& vectors;
    core::BlockingPool& workers;  // graph inserts and saves
    core::Logger logger;
  };
  DenseVectors(DenseOptions options, Deps deps) : options_(std::move(options)), deps_(std::move(deps)) {}

  bool Enabled() const { return deps_.embedder != nullptr; }

  // Loads the saved index when it was built from the same model, dropping
  // vectors of children the index no longer has. Call after the index is filled.
  void Load();
  // Embeds children that have no vector yet and saves; returns how many were added.
  boost::asio::awaitable<core::Result<std::size_t>> Backfill();
  // Saves the index (a failure is logged: the vectors can be rebuilt).
  boost::asio::awaitable<void> Save();
  // The query's embedding, or nothing when dense search is off or the embedder failed.
  boost::asio::awaitable<std::optional<std::vector<float>>> QueryVector(std::string text);

 private:
  boost::asio::awaitable<core::Result<std::size_t>> Add(std::vector<std::pair<std::uint64_t, std::string>> todo);

  DenseOptions options_;
  Deps deps_;
  std::mutex save_mutex_;  // one save at a time
};

}  // namespace salesboost::knowledge
