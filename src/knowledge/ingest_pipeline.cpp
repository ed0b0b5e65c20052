#include "knowledge/ingest_pipeline.hpp"

#include <fmt/format.h>

#include "knowledge/index/knowledge_index.hpp"
#include "knowledge/ingest/extractor.hpp"

namespace salesboost::knowledge {

boost::asio::awaitable<Preparation> IngestPipeline::Prepare(std::string document_id, std::string version,
                                                            SourceFile file, IngestProgress progress) {
  Preparation out;
  PreparedDocument& prepared = out.document;
  const FileDeadline deadline{.clock = &deps_.clock,
                              .at = deps_.clock.Now() + options_.limits.file_deadline,
                              .budget = options_.limits.file_deadline};
  const DocumentReaders readers{.pdf = deps_.pdf, .images = deps_.images};
  auto route_file = [&] { return RouteFile(file, options_.limits, readers); };
  auto routed = co_await deps_.workers.Run(route_file);
  if (!routed) {
    out.error = routed.error();
    co_return out;
  }
  prepared.route = routed->route;
  if (deadline.Passed()) {
    out.error = deadline.Exceeded("after routing");
    co_return out;
  }
  const std::string name = file.name;
  const ExtractDeps extract_deps{.workers = deps_.workers,
                                 .ocr = deps_.ocr,
                                 .limits = options_.limits,
                                 .ocr_lanes = options_.ocr_lanes,
                                 .deadline = deadline};
  auto extraction = co_await Extract(std::move(file), std::move(*routed), extract_deps, std::move(progress));
  if (!extraction) {
    out.error = extraction.error();
    co_return out;
  }
  prepared.pages = static_cast<int>(extraction->pages.size());
  prepared.ocr_pages = extraction->ocr_pages;
  prepared.ocr_engine = extraction->ocr_engine;
  prepared.type = extraction->type;
  // What extraction found joins the routing reasons kept with the document.
  auto& reasons = prepared.route.reasons;
  if (!extraction->encoding.empty()) reasons.push_back("text encoding " + extraction->encoding);
  reasons.insert(reasons.end(), extraction->notes.begin(), extraction->notes.end());
  if (extraction->ocr_pages > 0) {
    reasons.push_back(fmt::format("{} page{} OCRed by {}, mean confidence {:.0f}", extraction->ocr_pages,
                                  extraction->ocr_pages == 1 ? "" : "s", extraction->ocr_engine,
                                  extraction->ocr_confidence));
  }
  ExtractedDocument document{
      .id = std::move(document_id), .version = std::move(version), .pages = std::move(extraction->pages)};
  struct Chunked {
    Chunks chunks;
    std::vector<TermCounts> terms;
    std::string language;
  };
  auto chunk = [&] {
    Chunked c;
    c.chunks = ChunkDocument(document, options_.chunking);
    c.terms.reserve(c.chunks.children.size());
    for (const auto& child : c.chunks.children) {
      const std::string heading = child.heading_path.empty() ? std::string() : child.heading_path.back();
      c.terms.push_back(CountTerms(heading + "\n" + child.text));
    }
    c.language = name.ends_with(".zh.md")   ? "zh"
                 : name.ends_with(".en.md") ? "en"
                 : name.ends_with(".ja.md") ? "ja"
                                            : DetectLanguage(document.Text());
    return c;
  };
  auto chunked = co_await deps_.workers.Run(chunk);
  if (chunked.chunks.children.size() > options_.limits.max_chunks) {
    out.error = core::Error{core::ErrorCode::kResourceExhausted,
                            fmt::format("exceeds knowledge.max_file_chunks ({}): {} chunks", options_.limits.max_chunks,
                                        chunked.chunks.children.size())};
    co_return out;
  }
  if (deadline.Passed()) {
    out.error = deadline.Exceeded("after chunking");
    co_return out;
  }
  prepared.chunks = std::move(chunked.chunks);
  prepared.terms = std::move(chunked.terms);
  prepared.language = std::move(chunked.language);
  if (prepared.chunks.children.empty()) {
    out.error = core::Error{core::ErrorCode::kInvalidArgument, "no text found (empty document or unreadable scan)"};
  }
  co_return out;
}

}  // namespace salesboost::knowledge
