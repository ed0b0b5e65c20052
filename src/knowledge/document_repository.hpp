// DocumentRepository: the knowledge tables over storage::Store (portable
// SQL): documents with their parent and child chunks (and each child's term
// counts, so the BM25 index is rebuilt without re-tokenising), and upload
// jobs with one outcome per file. Replacing a document is one transaction:
// a reader sees the old chunks or the new ones, never a mix.
//
// The stored routing decision and job files are JSON in a format of this
// class's own (not the HTTP API's). Thread-safe; the store must outlive it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "knowledge/document_record.hpp"
#include "knowledge/index/knowledge_index.hpp"
#include "knowledge/job_view.hpp"
#include "knowledge/text/chunker.hpp"
#include "storage/store.hpp"

namespace salesboost::knowledge {

// A document as loaded at start: what the in-memory index needs.
struct StoredDocument {
  DocumentInfo info;
  std::vector<IndexedChunk> parents;
  std::vector<IndexedChunk> children;
};

// A stored document holding the same content (version) as a new file.
struct SameContent {
  std::string document_id;
  std::string name;
  Route route;
  int pages = 0;
};

// What Replace writes: the document's row and every chunk.
struct NewDocument {
  DocumentInfo info;
  std::string format;
  std::int64_t bytes = 0;
  std::int64_t pages = 0;
  Route route;
  Chunks chunks;
  std::vector<TermCounts> terms;  // per child, in order
  std::string now;                // ISO time: updated_at, and created_at for a new document
};

class DocumentRepository {
 public:
  explicit DocumentRepository(storage::Store& store) : store_(store) {}

  // Every document with its chunks, in document order.
  boost::asio::awaitable<core::Result<std::vector<StoredDocument>>> LoadAll();
  // Marks jobs that were queued or running (a restart interrupted them) as failed.
  boost::asio::awaitable<core::Result<void>> FailUnfinishedJobs(std::string now);

  // The tenant's documents in `collection` whose version is `version`.
  boost::asio::awaitable<core::Result<std::vector<SameContent>>> WithVersion(std::string tenant_id,
                                                                             std::string collection,
                                                                             std::string version);
  // Writes the document and its chunks in place of any earlier version (keeping its created_at).
  boost::asio::awaitable<core::Result<void>> Replace(NewDocument document);

  // The tenant's documents, by collection and name; every collection when `collection` is empty.
  boost::asio::awaitable<core::Result<std::vector<DocumentRecord>>> List(std::string tenant_id, std::string collection);
  // kNotFound when the tenant has no such document.
  boost::asio::awaitable<core::Result<DocumentDetail>> Get(std::string tenant_id, std::string document_id);
  // The document and every chunk; kNotFound when the tenant has no such document.
  boost::asio::awaitable<core::Result<void>> Delete(std::string tenant_id, std::string document_id);

  // Inserts or updates the job's row.
  boost::asio::awaitable<core::Result<void>> SaveJob(JobView job);
  // kNotFound when the tenant has no such job.
  boost::asio::awaitable<core::Result<JobView>> FindJob(std::string tenant_id, std::string job_id);

 private:
  storage::Store& store_;
};

}  // namespace salesboost::knowledge
