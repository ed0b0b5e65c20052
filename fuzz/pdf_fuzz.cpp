// A PDF upload through Poppler: knowledge::RouteFile opens it with the
// PopplerPdfReader (infra::PdfFile) and rates it from its first pages, then
// knowledge::Extract reads every page's text (layout, headings, garbled-layer
// check) and renders the pages without usable text for OCR. Limits are small
// (1 Mpixel, 36 dpi, 20 pages) so a fuzzed file renders quickly.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "extract_harness.hpp"
#include "infra/pdf/poppler_pdf_reader.hpp"

namespace {

// Images are not this target's subject.
class NoImages final : public salesboost::knowledge::ImageDecoder {
 public:
  salesboost::core::Result<salesboost::knowledge::GrayImage> Decode(std::string_view, std::int64_t) const override {
    return salesboost::core::Fail(salesboost::core::ErrorCode::kInvalidArgument, "images are not read here");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const salesboost::infra::PopplerPdfReader pdf;
  static const NoImages images;
  const salesboost::knowledge::SourceFile file{.name = "upload.pdf",
                                               .bytes = std::string(reinterpret_cast<const char*>(data), size)};
  auto routed = salesboost::knowledge::RouteFile(file, salesboost::fuzz::FuzzLimits(), {.pdf = pdf, .images = images});
  if (!routed || routed->route.format != "pdf") return 0;
  SB_CHECK(routed->pdf != nullptr);
  (void)salesboost::fuzz::ExtractRouted(file.bytes, std::move(*routed));
  return 0;
}
