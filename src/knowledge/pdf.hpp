// PdfFile: Poppler behind a small interface. Opening checks what would stop
// extraction (not a PDF, damaged, encrypted, no pages) and reports it as an
// invalid-argument error. Text comes per page in physical layout (columns of
// tables stay aligned, see AlignedTablesToMarkdown); pages render to 8-bit
// grey for OCR. Not thread-safe: one caller at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace salesboost::knowledge {

struct GrayImage {
  int width = 0;
  int height = 0;
  int dpi = 300;
  std::vector<std::uint8_t> pixels;  // row-major, width bytes per row
};

class PdfFile {
 public:
  static core::Result<PdfFile> Open(std::string_view bytes);
  PdfFile(PdfFile&&) noexcept;
  PdfFile& operator=(PdfFile&&) noexcept;
  ~PdfFile();

  int Pages() const;
  // The text of page `index` (0-based), UTF-8, lines as laid out.
  std::string PageText(int index) const;
  // Lines of page `index` set in a larger font than the page's body text
  // (1.2x the median by characters), as Markdown headings: "# " from 1.6x,
  // "## " below. Short lines only (at most 80 characters).
  std::vector<std::pair<std::string, std::string>> Headings(int index) const;  // (prefix, line text)
  // Renders page `index` at `dpi`, lowered when the page would exceed `max_pixels`.
  core::Result<GrayImage> Render(int index, int dpi, std::int64_t max_pixels) const;

 private:
  struct Impl;
  explicit PdfFile(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Image XObjects in the raw file (a cheap signal; no decoding).
int CountPdfImages(std::string_view bytes);

// Prefixes the lines of `markdown` that match a heading (spaces ignored) with its "# " or "## ".
std::string MarkHeadings(std::string_view markdown, const std::vector<std::pair<std::string, std::string>>& headings);

// Turns runs of two or more lines that share their column layout (cells
// separated by 2+ spaces, at least 2 columns) into Markdown tables; other
// lines stay as they are, with leading layout spaces removed.
std::string AlignedTablesToMarkdown(std::string_view text);

// True when the physical-layout text has a run of aligned rows.
bool HasAlignedTable(std::string_view text);

}  // namespace salesboost::knowledge
