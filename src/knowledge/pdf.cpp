#include "knowledge/pdf.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>

namespace salesboost::knowledge {
namespace {

// Poppler reports damage on stderr; the caller gets our error instead.
void QuietPoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    lines.push_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

// Cells of a layout line: separated by two or more spaces.
std::vector<std::string_view> Cells(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t i = line.find_first_not_of(' ');
  while (i != std::string_view::npos && i < line.size()) {
    auto gap = line.find("  ", i);
    if (gap == std::string_view::npos) gap = line.size();
    cells.push_back(line.substr(i, gap - i));
    i = line.find_first_not_of(' ', gap);
  }
  return cells;
}

}  // namespace

struct PdfFile::Impl {
  std::string bytes;  // Poppler reads from this buffer for the document's life
  std::unique_ptr<poppler::document> document;
};

PdfFile::PdfFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfFile::PdfFile(PdfFile&&) noexcept = default;
PdfFile& PdfFile::operator=(PdfFile&&) noexcept = default;
PdfFile::~PdfFile() = default;

core::Result<PdfFile> PdfFile::Open(std::string_view bytes) {
  QuietPoppler();
  if (!bytes.starts_with("%PDF-")) return core::Fail(core::ErrorCode::kInvalidArgument, "PDF: no %PDF- header");
  auto impl = std::make_unique<Impl>();
  impl->bytes.assign(bytes);
  impl->document.reset(poppler::document::load_from_raw_data(impl->bytes.data(), static_cast<int>(impl->bytes.size())));
  if (!impl->document) return core::Fail(core::ErrorCode::kInvalidArgument, "PDF: damaged or unreadable");
  if (impl->document->is_locked()) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "PDF: encrypted (a password is required)");
  }
  if (impl->document->pages() <= 0) return core::Fail(core::ErrorCode::kInvalidArgument, "PDF: no pages");
  return PdfFile(std::move(impl));
}

int PdfFile::Pages() const { return impl_->document->pages(); }

std::string PdfFile::PageText(int index) const {
  std::unique_ptr<poppler::page> page(impl_->document->create_page(index));
  if (!page) return {};
  const auto utf8 = page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
  std::string text(utf8.begin(), utf8.end());
  std::replace(text.begin(), text.end(), '\f', '\n');
  return text;
}

core::Result<GrayImage> PdfFile::Render(int index, int dpi, std::int64_t max_pixels) const {
  std::unique_ptr<poppler::page> page(impl_->document->create_page(index));
  if (!page)
    return core::Fail(core::ErrorCode::kInvalidArgument, "PDF: page " + std::to_string(index + 1) + " unreadable");
  const auto rect = page->page_rect();  // points (1/72 inch)
  const double area = std::max(1.0, rect.width() * rect.height()) / (72.0 * 72.0);
  const double fit = std::sqrt(static_cast<double>(max_pixels) / area);
  const int used_dpi = std::max(36, std::min(dpi, static_cast<int>(fit)));
  poppler::page_renderer renderer;
  renderer.set_render_hints(poppler::page_renderer::antialiasing | poppler::page_renderer::text_antialiasing);
  renderer.set_image_format(poppler::image::format_gray8);
  const poppler::image image = renderer.render_page(page.get(), used_dpi, used_dpi);
  if (!image.is_valid()) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "PDF: page " + std::to_string(index + 1) + " does not render");
  }
  GrayImage out{.width = image.width(), .height = image.height(), .dpi = used_dpi, .pixels = {}};
  out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
  for (int y = 0; y < out.height; ++y) {
    std::memcpy(out.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width),
                image.const_data() + static_cast<std::ptrdiff_t>(y) * image.bytes_per_row(),
                static_cast<std::size_t>(out.width));
  }
  return out;
}

int CountPdfImages(std::string_view bytes) {
  int count = 0;
  for (const std::string_view needle : {std::string_view("/Subtype/Image"), std::string_view("/Subtype /Image")}) {
    for (auto at = bytes.find(needle); at != std::string_view::npos; at = bytes.find(needle, at + needle.size())) {
      ++count;
    }
  }
  return count;
}

std::string AlignedTablesToMarkdown(std::string_view text) {
  const auto lines = Lines(text);
  std::string out;
  std::size_t i = 0;
  while (i < lines.size()) {
    const auto cells = Cells(lines[i]);
    std::size_t j = i + 1;
    if (cells.size() >= 2) {
      while (j < lines.size() && Cells(lines[j]).size() == cells.size()) ++j;
    }
    if (cells.size() >= 2 && j - i >= 2) {
      for (std::size_t r = i; r < j; ++r) {
        out += '|';
        for (const auto cell : Cells(lines[r])) {
          out += ' ';
          out += cell;
          out += " |";
        }
        out += '\n';
        if (r == i) {
          out += '|';
          for (std::size_t c = 0; c < cells.size(); ++c) out += " --- |";
          out += '\n';
        }
      }
      out += '\n';
      i = j;
      continue;
    }
    const auto first = lines[i].find_first_not_of(' ');
    if (first != std::string_view::npos) {
      // Layout spaces between words collapse to one.
      std::string line;
      for (const auto cell : Cells(lines[i])) {
        if (!line.empty()) line += ' ';
        line += cell;
      }
      out += line;
    }
    out += '\n';
    ++i;
  }
  return out;
}

bool HasAlignedTable(std::string_view text) {
  const auto lines = Lines(text);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const auto n = Cells(lines[i]).size();
    if (n >= 2 && Cells(lines[i + 1]).size() == n) return true;
  }
  return false;
}

}  // namespace salesboost::knowledge
