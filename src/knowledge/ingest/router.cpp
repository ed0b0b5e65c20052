#include "knowledge/ingest/router.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/utf8.hpp"
#include "knowledge/ingest/image_info.hpp"
#include "knowledge/ingest/pdf_image_scan.hpp"
#include "knowledge/text/pdf_layout.hpp"
#include "knowledge/text/text_layer.hpp"

namespace salesboost::knowledge {
namespace {

std::string Extension(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || name.find('/', dot) != std::string_view::npos) return {};
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

constexpr int kProbePages = 5;

}  // namespace

std::string_view ComplexityName(Complexity complexity) {
  switch (complexity) {
    case Complexity::kLow:
      return "LOW";
    case Complexity::kMedium:
      return "MEDIUM";
    case Complexity::kHigh:
      return "HIGH";
    case Complexity::kExtreme:
      return "EXTREME";
  }
  return "LOW";
}

std::string DetectFormat(const SourceFile& file) {
  const std::string_view b = file.bytes;
  const std::string ext = Extension(file.name);
  if (b.starts_with("%PDF-")) return "pdf";
  if (b.starts_with("\x89PNG") || b.starts_with("\xFF\xD8\xFF") || b.starts_with("II*") || b.starts_with("MM\0*") ||
      b.starts_with("GIF8") || b.starts_with("BM") ||
      (b.starts_with("RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP")) {
    return "image";
  }
  if (b.starts_with("PK\x03\x04")) return ext == "docx" ? "docx" : std::string();
  if (ext == "pdf" || ext == "png" || ext == "jpg" || ext == "jpeg" || ext == "tif" || ext == "tiff") return {};
  if (ext == "md" || ext == "markdown") return "markdown";
  if (ext == "html" || ext == "htm" || ext == "xhtml") return "html";
  if (ext == "csv" || ext == "tsv") return "csv";
  if (ext == "txt" || ext == "text" || ext.empty()) return "text";
  return {};
}

core::Result<RoutedFile> RouteFile(const SourceFile& file, const ExtractLimits& limits,
                                   const DocumentReaders& readers) {
  if (file.bytes.empty()) return core::Fail(core::ErrorCode::kInvalidArgument, "empty file");
  if (file.bytes.size() > limits.max_bytes) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      fmt::format("{} bytes is over the limit of {} MiB", file.bytes.size(), limits.max_bytes >> 20));
  }
  RoutedFile routed;
  Route& route = routed.route;
  route.format = DetectFormat(file);
  if (route.format.empty()) {
    const auto ext = Extension(file.name);
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      fmt::format("unsupported file type{} (supported: pdf, png, jpeg, tiff, docx, md, html, csv, txt)",
                                  ext.empty() ? std::string() : " ." + ext));
  }
  const std::string size = fmt::format("{:.1f} KiB", static_cast<double>(file.bytes.size()) / 1024.0);
  if (route.format == "pdf") {
    // Before the engine opens it: probing pages renders nothing, but nothing else should meet a bomb either.
    const PdfImageBudget budget{.max_pixels = limits.max_pixels, .max_decoded_bytes = limits.max_decoded_bytes};
    if (auto images = CheckPdfImages(file.bytes, budget); !images) return core::Fail(images.error());
    auto pdf = readers.pdf.Open(file.bytes);
    if (!pdf) return core::Fail(pdf.error());
    const int pages = (*pdf)->Pages();
    if (pages > limits.max_pages) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        fmt::format("PDF: {} pages is over the limit of {}", pages, limits.max_pages));
    }
    const int probed = std::min(pages, kProbePages);
    std::size_t chars = 0;
    bool table = false;
    int garbled = 0;  // probed pages whose text layer does not read as text
    std::string garbled_reason;
    for (int i = 0; i < probed; ++i) {
      const auto& text = routed.page_texts.emplace_back((*pdf)->PageText(i));
      if (auto why = GarbledTextReason(text); !why.empty()) {
        ++garbled;
        if (garbled_reason.empty()) garbled_reason = fmt::format("page {}: {}", i + 1, why);
      }
      chars +=
          core::CountCodePoints(text) - static_cast<std::size_t>(std::count_if(
                                            text.begin(), text.end(), [](char c) { return c == ' ' || c == '\n'; }));
      table = table || HasAlignedTable(text);
    }
    const double per_page = static_cast<double>(chars) / probed;
    const double images = static_cast<double>(CountPdfImages(file.bytes)) / pages;
    route.reasons.push_back(fmt::format("{} pages, {}", pages, size));
    route.reasons.push_back(fmt::format("{:.0f} text characters per page over the first {}", per_page, probed));
    route.reasons.push_back(fmt::format("{:.1f} images per page", images));
    if (per_page < limits.min_text_chars_per_page) {
      route.complexity = Complexity::kHigh;
      route.extractor = "ocr";
      route.reasons.emplace_back("little or no text layer: scanned, OCR every page");
    } else if (garbled == probed) {
      route.complexity = Complexity::kHigh;
      route.extractor = "ocr";
      route.reasons.push_back(garbled_reason);
      route.reasons.emplace_back("the text layer is garbled on every page probed: OCR every page");
    } else {
      route.extractor = "pdf-text";
      if (table) route.reasons.emplace_back("aligned columns: tables");
      route.complexity = table || images >= 1 || garbled > 0 ? Complexity::kMedium : Complexity::kLow;
      if (images >= 1) route.reasons.emplace_back("image-heavy: pages without text are OCRed");
      if (garbled > 0) {
        route.reasons.push_back(
            fmt::format("garbled text layer on {} of {} pages probed: such pages are OCRed", garbled, probed));
      }
    }
    routed.pdf = std::move(*pdf);
    return routed;
  }
  if (route.format == "image") {
    auto image = readers.images.Decode(file.bytes, limits.max_pixels);
    if (!image) return core::Fail(image.error());
    const auto info = Inspect(*image);
    route.extractor = "ocr";
    route.reasons.push_back(fmt::format("{}x{} pixels, {}", info.width, info.height, size));
    route.reasons.push_back(fmt::format("brightness {:.0f}, contrast {:.0f}", info.brightness, info.contrast));
    const bool small = std::min(info.width, info.height) < 500;
    const bool dark = info.brightness < 90;
    const bool washed = info.brightness > 250;
    const bool flat = info.contrast < 25;
    route.complexity = small || dark || washed || flat ? Complexity::kExtreme : Complexity::kHigh;
    if (small) route.reasons.emplace_back("low resolution");
    if (dark) route.reasons.emplace_back("dark");
    if (washed) route.reasons.emplace_back("washed out");
    if (flat) route.reasons.emplace_back("low contrast");
    if (route.complexity == Complexity::kExtreme) route.reasons.emplace_back("hard to read: vision OCR preferred");
    routed.image = std::move(*image);
    return routed;
  }
  route.extractor = route.format;
  route.reasons.push_back(fmt::format("{} file, {}", route.format, size));
  return routed;
}

core::Result<Route> Assess(const SourceFile& file, const ExtractLimits& limits, const DocumentReaders& readers) {
  auto routed = RouteFile(file, limits, readers);
  if (!routed) return core::Fail(routed.error());
  return std::move(routed->route);
}

}  // namespace salesboost::knowledge
