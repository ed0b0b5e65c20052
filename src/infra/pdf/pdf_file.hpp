// PdfFile: one PDF opened with Poppler, the knowledge::PdfDocument port's
// implementation. Open() checks what would stop extraction (not a PDF,
// damaged, encrypted, no pages) and reports it as an invalid-argument error;
// Poppler's own complaints on stderr are silenced. The file keeps its own
// copy of the bytes. Not thread-safe: one caller at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "knowledge/ingest/pdf_document.hpp"

namespace salesboost::infra {

class PdfFile final : public knowledge::PdfDocument {
 public:
  static core::Result<PdfFile> Open(std::string_view bytes);
  PdfFile(PdfFile&&) noexcept;
  PdfFile& operator=(PdfFile&&) noexcept;
  ~PdfFile() override;

  int Pages() const override;
  std::string PageText(int index) const override;
  std::vector<std::pair<std::string, std::string>> Headings(int index) const override;
  core::Result<knowledge::GrayImage> Render(int index, int dpi, std::int64_t max_pixels) const override;

 private:
  struct Impl;
  explicit PdfFile(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace salesboost::infra
