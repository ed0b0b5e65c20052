// KnowledgeBase: the knowledge service. Ingests files (route, extract,
// chunk, count terms, then commit document and chunks in one transaction,
// update the in-memory indexes and embed the new chunks), keeps documents versioned
// by content hash (the same content again changes nothing; a changed file
// replaces its chunks), deletes documents with every chunk, runs upload jobs
// one after another with progress, and searches (hybrid BM25 + dense, see
// KnowledgeIndex). It is the agents' KnowledgeSearch for one tenant.
//
// State: documents and chunks live in the Store; the dense index is saved to
// `dense_file` after each change and reloaded at start; children without a
// vector (an embeddings outage, a model change) are embedded later by
// Backfill(). Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "conversation/knowledge.hpp"
#include "core/blocking_pool.hpp"
#include "core/clock.hpp"
#include "core/id_generator.hpp"
#include "core/logging.hpp"
#include "knowledge/embedder.hpp"
#include "knowledge/index/knowledge_index.hpp"
#include "knowledge/index/vector_index_factory.hpp"
#include "knowledge/ingest/chunker.hpp"
#include "knowledge/ingest/extractor.hpp"
#include "knowledge/ingest/image_decoder.hpp"
#include "knowledge/ingest/pdf_reader.hpp"
#include "storage/store.hpp"

namespace salesboost::knowledge {

struct KnowledgeOptions {
  ChunkOptions chunking;
  ExtractLimits limits;
  int ocr_lanes = 2;
  std::size_t embed_batch = 32;
  std::chrono::milliseconds embed_budget{60000};       // one batch
  std::chrono::milliseconds query_embed_budget{2000};  // a search's query vector
  std::filesystem::path dense_file;                    // empty: the dense index is not saved
  double rrf_k = 60;
  double sparse_weight = 1;
  double dense_weight = 1;
  std::size_t candidates = 50;
  std::string agent_tenant = "default";  // whose documents the agents read
};

struct FileOutcome {
  std::string name;
  std::string status;  // indexed, unchanged, duplicate, failed
  std::string error;   // failed: why
  std::string document_id;
  std::string version;
  Route route;
  int pages = 0;
  int ocr_pages = 0;
  std::string ocr_engine;
  std::size_t parents = 0;
  std::size_t children = 0;
  std::size_t vectors = 0;
  double seconds = 0;

  boost::json::object ToJson() const;
};

struct IngestRequest {
  std::string tenant_id;
  std::string collection = "default";
  std::string type;  // document type for every file; empty: from front matter
  SourceFile file;
};

struct JobFile {
  std::string name;
  int pages_done = 0;
  int pages_total = 0;
  std::optional<FileOutcome> outcome;
};

struct JobView {
  std::string id;
  std::string tenant_id;
  std::string collection;
  std::string status;  // queued, running, done, failed
  std::vector<JobFile> files;
  std::string created_at;
  std::string updated_at;

  boost::json::object ToJson() const;
};

struct SearchRequest {
  std::string tenant_id;
  std::string text;
  std::size_t k = 5;
  std::string collection;
  std::string type;
  std::string language;
};

using IngestProgress = std::function<void(int pages_done, int pages_total)>;

class KnowledgeBase final : public conversation::KnowledgeSearch {
 public:
  struct Deps {
    storage::Store& store;
    core::BlockingPool& workers;  // extraction and OCR; not the store's pool
    Ocr& ocr;
    const PdfReader& pdf;
    const ImageDecoder& images;
    Embedder* embedder;                 // null: sparse retrieval only
    const VectorIndexFactory& vectors;  // the dense index, once the embedding size is known
    const core::Clock& clock;
    core::IdGenerator& ids;
    core::Logger logger;
  };
  KnowledgeBase(KnowledgeOptions options, Deps deps);
  ~KnowledgeBase() override;

  // Loads documents and chunks from the store and the saved dense index and
  // marks jobs a restart interrupted as failed. Backfill() then embeds what
  // lacks vectors (run it on the I/O context that owns provider connections).
  boost::asio::awaitable<core::Result<void>> Load();

  // One file, start to end (the CLI, and each file of a job).
  boost::asio::awaitable<FileOutcome> Ingest(IngestRequest request, IngestProgress progress);

  // Queues files as a job and returns its id at once; jobs run one at a time.
  boost::asio::awaitable<core::Result<std::string>> Submit(std::string tenant_id, std::string collection,
                                                           std::string type, std::vector<SourceFile> files);
  boost::asio::awaitable<core::Result<JobView>> Job(std::string tenant_id, std::string job_id);

  boost::asio::awaitable<core::Result<std::vector<boost::json::object>>> Documents(std::string tenant_id,
                                                                                   std::string collection);
  boost::asio::awaitable<core::Result<boost::json::object>> Document(std::string tenant_id, std::string document_id);
  boost::asio::awaitable<core::Result<void>> Delete(std::string tenant_id, std::string document_id);

  boost::asio::awaitable<core::Result<std::vector<SearchHit>>> Find(SearchRequest request);
  // Embeds children that have no vector yet; returns how many were added.
  boost::asio::awaitable<core::Result<std::size_t>> Backfill();

  // conversation::KnowledgeSearch, over the agent tenant's documents.
  boost::asio::awaitable<core::Result<std::vector<conversation::KnowledgeHit>>> Search(std::string query,
                                                                                       std::string language,
                                                                                       int k) override;
  IndexStats Stats() const { return index_.Stats(); }

 private:
  struct JobState;
  boost::asio::awaitable<void> RunJobs();
  boost::asio::awaitable<core::Result<void>> SaveJob(const JobView& job);
  boost::asio::awaitable<core::Result<std::size_t>> AddVectors(std::vector<std::pair<std::uint64_t, std::string>> todo);
  boost::asio::awaitable<void> SaveDense();
  std::string Now() const;

  KnowledgeOptions options_;
  Deps deps_;
  KnowledgeIndex index_;
  std::mutex mutex_;                                       // guards the job fields below
  std::map<std::string, std::shared_ptr<JobState>> jobs_;  // live and recent jobs
  std::deque<std::shared_ptr<JobState>> queue_;
  bool running_ = false;
  std::mutex dense_mutex_;  // one save at a time
};

// "doc_" and 16 hex digits: the id of a document named `name` in a collection.
std::string DocumentId(const std::string& tenant_id, const std::string& collection, const std::string& name);
// The content hash used as the version: SHA-256, hex.
std::string ContentVersion(std::string_view bytes);

}  // namespace salesboost::knowledge
