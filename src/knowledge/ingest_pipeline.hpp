// IngestPipeline: one file from bytes to chunks ready to store and index:
// route (format and complexity; the router opens PDFs and images once and
// hands them on), extract (Markdown pages, OCR where needed), chunk (parents
// and children), count each child's BM25 terms and tell the language.
// A file over one of its budgets (ExtractLimits: the deadline, extracted
// characters, chunks, images) fails with the limit named. Nothing is stored
// here. Blocking work runs on the `workers` pool.
// Thread-safe: files may be prepared concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/blocking_pool.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "knowledge/file_outcome.hpp"
#include "knowledge/index/sparse_index.hpp"
#include "knowledge/ingest/image_decoder.hpp"
#include "knowledge/ingest/ocr.hpp"
#include "knowledge/ingest/pdf_reader.hpp"
#include "knowledge/ingest/router.hpp"
#include "knowledge/text/chunker.hpp"

namespace salesboost::knowledge {

struct IngestOptions {
  ChunkOptions chunking;
  ExtractLimits limits;
  int ocr_lanes = 2;  // pages OCRed at a time
};

// What the pipeline learned about a file, as far as it got.
struct PreparedDocument {
  Route route;  // empty when the file could not be routed; then with what extraction found
  int pages = 0;
  int ocr_pages = 0;
  std::string ocr_engine;
  std::string type;      // from Markdown front matter; empty otherwise
  std::string language;  // "zh", "en", "ja" or empty
  Chunks chunks;
  std::vector<TermCounts> terms;  // per child, in order
};

struct Preparation {
  PreparedDocument document;
  // The stage that failed, if one did; `document` then holds what the stages before it found
  // (a failed file still reports how it was routed).
  std::optional<core::Error> error;
};

class IngestPipeline {
 public:
  struct Deps {
    core::BlockingPool& workers;  // extraction and OCR; not the store's pool
    Ocr& ocr;
    const PdfReader& pdf;
    const ImageDecoder& images;
    const core::Clock& clock;  // the file deadline's
  };
  IngestPipeline(IngestOptions options, Deps deps) : options_(std::move(options)), deps_(deps) {}

  const ExtractLimits& Limits() const { return options_.limits; }

  // `document_id` and `version` name the chunks; `progress` is told pages done and total.
  boost::asio::awaitable<Preparation> Prepare(std::string document_id, std::string version, SourceFile file,
                                              IngestProgress progress);

 private:
  IngestOptions options_;
  Deps deps_;
};

}  // namespace salesboost::knowledge
