// PopplerPdfReader: the knowledge::PdfReader port on Poppler; each Open()
// returns an infra::PdfFile. Stateless and thread-safe.
#pragma once

#include "knowledge/ingest/pdf_reader.hpp"

namespace salesboost::infra {

class PopplerPdfReader final : public knowledge::PdfReader {
 public:
  core::Result<std::unique_ptr<knowledge::PdfDocument>> Open(std::string_view bytes) const override;
};

}  // namespace salesboost::infra
