// The ingestion router: recognises a file's format from its bytes (then its
// name) and rates how hard it is to read from cheap signals, which decides
// the extractor:
//   LOW      clean digital text                         -> text, markdown, html, csv, docx, pdf-text
//   MEDIUM   a PDF with tables or images beside its text, or some pages whose
//            text layer is garbled (knowledge::GarbledTextReason) -> pdf-text
//            (tables kept; the garbled pages are OCRed)
//   HIGH     a scanned PDF (little text per page), a PDF whose text layer is
//            garbled on every page probed, a clean image -> ocr
//   EXTREME  an image that is dark, washed out, low-contrast or small
//            (photos, handwriting) -> ocr, vision model preferred
// Every decision carries its reasons. Empty or unsupported files, files over
// the size limit, and PDFs declaring an image over the image budget
// (CheckPdfImages, before the PDF engine sees the file) are errors.
//
// To rate a PDF or an image the router has to open it; RouteFile hands what
// it opened (and the page text it read) on to Extract, so each file is
// parsed once. Pure apart from the readers it is given; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "knowledge/ingest/gray_image.hpp"
#include "knowledge/ingest/image_decoder.hpp"
#include "knowledge/ingest/pdf_document.hpp"
#include "knowledge/ingest/pdf_reader.hpp"

namespace salesboost::knowledge {

enum class Complexity { kLow, kMedium, kHigh, kExtreme };
std::string_view ComplexityName(Complexity complexity);

struct SourceFile {
  std::string name;  // file name, used for the format when the bytes do not tell
  std::string bytes;
};

// Budgets of one file: a file over any of them fails alone, with the limit named, and leaves nothing
// behind.
struct ExtractLimits {
  std::size_t max_bytes = 64u << 20;
  std::int64_t max_pixels = 60'000'000;  // per image (declared in a PDF, or decoded) or rendered page
  std::int64_t max_decoded_bytes = std::int64_t{256} << 20;  // per image a PDF declares, or stream, decoded
  int max_pages = 2000;
  int ocr_dpi = 300;
  int min_text_chars_per_page = 40;                  // below: the page is treated as scanned
  std::size_t max_chars = 2'000'000;                 // extracted text per file, in code points
  std::size_t max_chunks = 20'000;                   // retrieval (child) chunks per file
  std::chrono::milliseconds file_deadline{120'000};  // routing, extraction and chunking of one file
};

struct Route {
  std::string format;  // text, markdown, html, csv, docx, pdf, image
  Complexity complexity = Complexity::kLow;
  std::string extractor;  // text, markdown, html, csv, docx, pdf-text, ocr
  std::vector<std::string> reasons;
};

// What the router opens files with.
struct DocumentReaders {
  const PdfReader& pdf;
  const ImageDecoder& images;
};

// A routing decision with the document opened to make it.
struct RoutedFile {
  Route route;
  std::unique_ptr<PdfDocument> pdf;     // format "pdf"
  std::vector<std::string> page_texts;  // format "pdf": the text of the first pages, read to rate the file
  std::optional<GrayImage> image;       // format "image": the decoded picture
};

// Format by magic bytes, then by extension; empty when unsupported.
std::string DetectFormat(const SourceFile& file);

core::Result<RoutedFile> RouteFile(const SourceFile& file, const ExtractLimits& limits, const DocumentReaders& readers);

// The decision alone; what was opened is dropped.
core::Result<Route> Assess(const SourceFile& file, const ExtractLimits& limits, const DocumentReaders& readers);

}  // namespace salesboost::knowledge
