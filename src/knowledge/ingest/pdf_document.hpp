// PdfDocument: the port to one opened PDF (infra::PdfFile on Poppler). Text
// comes per page in physical layout (columns of tables stay aligned, see
// AlignedTablesToMarkdown), except on pages set in columns of prose, which
// come in reading order (each column top to bottom, left to right); pages
// render to 8-bit grey for OCR. Not thread-safe: one caller at a time.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "knowledge/ingest/gray_image.hpp"

namespace salesboost::knowledge {

class PdfDocument {
 public:
  virtual ~PdfDocument() = default;

  virtual int Pages() const = 0;
  // The text of page `index` (0-based), UTF-8, lines as laid out.
  virtual std::string PageText(int index) const = 0;
  // Lines of page `index` set in a larger font than the page's body text
  // (1.2x the median by characters), as Markdown headings: "# " from 1.6x,
  // "## " below. Short lines only (at most 80 characters).
  virtual std::vector<std::pair<std::string, std::string>> Headings(int index) const = 0;  // (prefix, line text)
  // Renders page `index` at `dpi`, lowered when the page would exceed `max_pixels`.
  virtual core::Result<GrayImage> Render(int index, int dpi, std::int64_t max_pixels) const = 0;
};

}  // namespace salesboost::knowledge
