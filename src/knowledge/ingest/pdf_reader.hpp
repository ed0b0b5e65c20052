// PdfReader: the port that opens PDF bytes (infra::PopplerPdfReader).
// Opening checks what would stop extraction (not a PDF, damaged, encrypted,
// no pages) and reports it as an invalid-argument error. Thread-safe: each
// call returns its own document.
#pragma once

#include <memory>
#include <string_view>

#include "core/result.hpp"
#include "knowledge/ingest/pdf_document.hpp"

namespace salesboost::knowledge {

class PdfReader {
 public:
  virtual ~PdfReader() = default;
  virtual core::Result<std::unique_ptr<PdfDocument>> Open(std::string_view bytes) const = 0;
};

}  // namespace salesboost::knowledge
