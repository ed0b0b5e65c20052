// What the extractor fuzz targets share: knowledge::Extract run to completion
// on a one-thread blocking pool, as the ingest pipeline runs it, with an OCR
// engine that reads every page image as a fixed text (OCR engines are not
// fuzzed; rendering the page for them is).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/blocking_pool.hpp"
#include "core/check.hpp"
#include "core/run_sync.hpp"
#include "core/utf8.hpp"
#include "knowledge/ingest/extractor.hpp"

namespace salesboost::fuzz {

class FixedOcr final : public knowledge::Ocr {
 public:
  boost::asio::awaitable<core::Result<knowledge::OcrText>> Recognize(const knowledge::GrayImage& image) override {
    SB_CHECK(image.width > 0 && image.height > 0);
    SB_CHECK(image.pixels.size() == static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height));
    co_return knowledge::OcrText{.text = "Scanned page.", .confidence = 90, .engine = "fixed"};
  }
};

// Small enough that a fuzzed page renders quickly.
inline knowledge::ExtractLimits FuzzLimits() {
  knowledge::ExtractLimits limits;
  limits.max_bytes = 1u << 20;
  limits.max_pixels = 1'000'000;
  limits.max_pages = 20;
  limits.ocr_dpi = 36;
  return limits;
}

// Extracts `routed`; checks that every page is valid UTF-8 and numbered from 1.
inline core::Result<knowledge::Extraction> ExtractRouted(std::string_view bytes, knowledge::RoutedFile routed) {
  static core::BlockingPool workers(1);
  static FixedOcr ocr;
  knowledge::SourceFile file{.name = "upload", .bytes = std::string(bytes)};
  auto out = core::RunSync(knowledge::Extract(
      std::move(file), std::move(routed),
      knowledge::ExtractDeps{.workers = workers, .ocr = ocr, .limits = FuzzLimits(), .ocr_lanes = 2, .deadline = {}},
      {}));
  if (out) {
    int number = 0;
    for (const auto& page : out->pages) {
      SB_CHECK(page.number > number);
      number = page.number;
      SB_CHECK(core::IsValidUtf8(page.markdown));
    }
  }
  return out;
}

// A text format (markdown, html, csv, docx, text) as the router names it.
inline core::Result<knowledge::Extraction> ExtractAs(std::string_view bytes, std::string format) {
  knowledge::RoutedFile routed;
  routed.route.format = format;
  routed.route.extractor = std::move(format);
  return ExtractRouted(bytes, std::move(routed));
}

}  // namespace salesboost::fuzz
