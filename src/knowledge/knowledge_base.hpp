// KnowledgeBase: the knowledge service, for the API, the CLI and the agents
// (its conversation::KnowledgeSearch reads the agent tenant's documents).
// Ingesting a file: the same content again changes nothing (documents are
// versioned by content hash); otherwise the IngestPipeline routes, extracts
// and chunks it, the DocumentRepository replaces the document and its chunks
// in one transaction, the KnowledgeIndex takes them and DenseVectors embeds
// the new children. Upload jobs run through IngestJobs; searches are hybrid
// (BM25 + dense, see KnowledgeIndex). Returns plain values: presenting them
// is the caller's business.
//
// State: documents and chunks live in the Store; the dense index is saved
// after each change and reloaded at start; children without a vector (an
// embeddings outage, a model change) are embedded later by Backfill().
// With an external VectorStore (Qdrant) the dense vectors and the lexical
// weights of every child live there instead of in the HNSW file: ingest and
// delete write to it (a document it missed is kept pending and written again
// by the next Backfill or ingest), and a search takes the dense list (and,
// with `remote_lexical`, the lexical list too) from it in one exchange, then
// fuses them here as the in-process index does. When the store fails, the
// search is answered by the in-process BM25 list.
//
// Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "conversation/knowledge.hpp"
#include "core/blocking_pool.hpp"
#include "core/clock.hpp"
#include "core/id_generator.hpp"
#include "core/logging.hpp"
#include "knowledge/dense_vectors.hpp"
#include "knowledge/document_record.hpp"
#include "knowledge/document_repository.hpp"
#include "knowledge/embedder.hpp"
#include "knowledge/file_outcome.hpp"
#include "knowledge/index/knowledge_index.hpp"
#include "knowledge/index/vector_index_factory.hpp"
#include "knowledge/ingest/image_decoder.hpp"
#include "knowledge/ingest/ocr.hpp"
#include "knowledge/ingest/pdf_reader.hpp"
#include "knowledge/ingest_jobs.hpp"
#include "knowledge/ingest_pipeline.hpp"
#include "knowledge/job_view.hpp"
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
  // With a VectorStore: the lexical list from its sparse vectors (BM25 weights; the words of one synonym
  // group add up there, where the in-process list scores their best) instead of the in-process BM25.
  bool remote_lexical = false;
  std::string agent_tenant = "default";  // whose documents the agents read
};

struct SearchRequest {
  std::string tenant_id;
  std::string text;
  std::size_t k = 5;
  std::vector<std::string> collections;  // any of these; empty: every collection
  std::string type;
  std::string language;
};

class KnowledgeBase final : public conversation::KnowledgeSearch {
 public:
  struct Deps {
    storage::Store& store;
    core::BlockingPool& workers;  // extraction and OCR; not the store's pool
    Ocr& ocr;
    const PdfReader& pdf;
    const ImageDecoder& images;
    Embedder* embedder;  // null: sparse retrieval only
    const VectorIndexFactory& vectors;
    VectorStore* vector_store;  // null: dense vectors in process (HNSW); else both lists come from it
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

  boost::asio::awaitable<core::Result<std::vector<DocumentRecord>>> Documents(std::string tenant_id,
                                                                              std::string collection);
  boost::asio::awaitable<core::Result<DocumentDetail>> Document(std::string tenant_id, std::string document_id);
  boost::asio::awaitable<core::Result<void>> Delete(std::string tenant_id, std::string document_id);

  boost::asio::awaitable<core::Result<std::vector<SearchHit>>> Find(SearchRequest request);
  // Embeds children that have no vector yet; returns how many were added.
  boost::asio::awaitable<core::Result<std::size_t>> Backfill();

  // conversation::KnowledgeSearch, over the agent tenant's documents in the
  // query's collections (none named: nothing is found).
  boost::asio::awaitable<core::Result<std::vector<conversation::KnowledgeHit>>> Search(
      conversation::KnowledgeQuery query) override;
  IndexStats Stats() const { return index_.Stats(); }
  // With a VectorStore: rewrites the lexical weights of every point it holds
  // (BM25 normalises by the average child length, which moves as documents
  // come and go). Backfill does it after pushing pending documents.
  boost::asio::awaitable<core::Result<void>> RefreshLexical();
  // Documents the VectorStore has not taken yet (0 without one).
  std::size_t PendingRemote() const;

 private:
  std::string Now() const;
  // The store's collection exists (made with the embeddings' size when missing; then every document is pending).
  boost::asio::awaitable<core::Result<void>> PrepareRemote();
  // Replaces a document's points in the store (deletes them when the index no longer has it). Returns how
  // many points got a dense vector; a document whose vectors could not all be made stays pending. Writes of
  // one document never overlap: a second waits for the first to end.
  boost::asio::awaitable<core::Result<std::size_t>> PushDocument(std::string tenant_id, std::string document_id);
  boost::asio::awaitable<core::Result<std::size_t>> WriteDocument(std::string tenant_id, std::string document_id);
  // Pushes every pending document; returns how many points got a dense vector.
  boost::asio::awaitable<core::Result<std::size_t>> SyncRemote();
  boost::asio::awaitable<std::optional<std::vector<float>>> RemoteQueryVector(std::string text);

  KnowledgeOptions options_;
  Deps deps_;
  KnowledgeIndex index_;
  DocumentRepository repository_;
  IngestPipeline pipeline_;
  DenseVectors dense_;
  mutable std::mutex remote_mutex_;             // guards the three below
  bool remote_ready_ = false;                   // Prepare succeeded
  std::map<std::string, std::string> pending_;  // document id -> tenant, not yet in the VectorStore
  std::set<std::string> writing_;               // documents being written to the VectorStore
  IngestJobs jobs_;                             // last: its runner uses the members above
};

}  // namespace salesboost::knowledge
