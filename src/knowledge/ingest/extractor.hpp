// Extract: a routed file to Markdown pages.
//
// The PDF or image the router opened comes with the RoutedFile and is read
// from there: nothing is parsed a second time.
// Text formats and PDF text run on the `workers` pool; OCR pages run
// `ocr_lanes` at a time (each page is rendered, then recognised), and a
// digital PDF's pages without a text layer are OCRed too. Progress is
// reported per page. Errors name the file's problem (damaged, encrypted,
// undecodable, OCR unavailable, a budget exceeded: the deadline, the
// extracted characters) and leave nothing behind. Thread-safe: each
// call owns its document.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/blocking_pool.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "knowledge/ingest/ocr.hpp"
#include "knowledge/ingest/router.hpp"
#include "knowledge/text/chunker.hpp"

namespace salesboost::knowledge {

struct Extraction {
  std::vector<ExtractedPage> pages;
  std::string type;      // from a Markdown front-matter "type:"; empty otherwise
  std::string encoding;  // text formats: the detected encoding
  int ocr_pages = 0;
  double ocr_confidence = 0;  // mean over OCRed pages
  std::string ocr_engine;     // who read the last OCRed page
  // Pages whose text layer was set aside for OCR, and why: "page 3: garbled text layer: ...; OCRed".
  std::vector<std::string> notes;
};

using ExtractProgress = std::function<void(int done, int total)>;

// When one file's ingestion must be over (ExtractLimits::file_deadline from its start). Checked between
// steps, before each page's text and before each page is rendered for OCR; a call into the PDF engine
// or the OCR engine already running is not interrupted and ends first (the image budget and the pixel
// limit bound it).
struct FileDeadline {
  const core::Clock* clock = nullptr;  // null: no deadline
  std::chrono::system_clock::time_point at{};
  std::chrono::milliseconds budget{0};

  bool Passed() const { return clock != nullptr && clock->Now() >= at; }
  // kDeadlineExceeded: "exceeds knowledge.file_deadline_ms (120000): stopped <where>".
  core::Error Exceeded(std::string_view where) const;
};

// kResourceExhausted when `chars` code points are over the file's limit.
core::Result<void> CheckChars(std::size_t chars, const ExtractLimits& limits, std::string_view where);

struct ExtractDeps {
  core::BlockingPool& workers;
  Ocr& ocr;
  ExtractLimits limits;
  int ocr_lanes = 2;
  FileDeadline deadline;
};

boost::asio::awaitable<core::Result<Extraction>> Extract(SourceFile file, RoutedFile routed, ExtractDeps deps,
                                                         ExtractProgress progress);

}  // namespace salesboost::knowledge
