#include "infra/pdf/poppler_pdf_reader.hpp"

#include "infra/pdf/pdf_file.hpp"

namespace salesboost::infra {

core::Result<std::unique_ptr<knowledge::PdfDocument>> PopplerPdfReader::Open(std::string_view bytes) const {
  auto pdf = PdfFile::Open(bytes);
  if (!pdf) return core::Fail(pdf.error());
  return std::make_unique<PdfFile>(std::move(*pdf));
}

}  // namespace salesboost::infra
