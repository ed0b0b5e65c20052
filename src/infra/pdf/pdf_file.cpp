#include "infra/pdf/pdf_file.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>

namespace salesboost::infra {
namespace {

// Poppler reports damage on stderr; the caller gets our error instead.
void QuietPoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
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

std::vector<std::pair<std::string, std::string>> PdfFile::Headings(int index) const {
  std::unique_ptr<poppler::page> page(impl_->document->create_page(index));
  if (!page) return {};
  struct Line {
    double top = 0;
    double height = 0;
    double size = 0;
    std::string text;
    std::size_t chars = 0;
  };
  std::vector<Line> lines;
  std::vector<std::pair<double, std::size_t>> sizes;  // font size, characters
  for (const auto& box : page->text_list(poppler::page::text_list_include_font)) {
    const auto utf8 = box.text().to_utf8();
    const std::string word(utf8.begin(), utf8.end());
    if (word.empty()) continue;
    const auto bbox = box.bbox();
    const double size = box.has_font_info() ? box.get_font_size() : bbox.height();
    sizes.emplace_back(size, word.size());
    Line* line = lines.empty() ? nullptr : &lines.back();
    if (line == nullptr || std::abs(bbox.y() - line->top) > 0.5 * std::max(line->height, bbox.height())) {
      lines.push_back({bbox.y(), bbox.height(), 0, {}, 0});
      line = &lines.back();
    }
    line->size = std::max(line->size, size);
    line->text += word;
    line->chars += word.size();
    if (box.has_space_after()) line->text += ' ';
  }
  if (sizes.empty()) return {};
  // The median font size, weighted by characters: the body text's.
  std::sort(sizes.begin(), sizes.end());
  std::size_t total = 0;
  for (const auto& [size, n] : sizes) total += n;
  double median = sizes.back().first;
  for (std::size_t seen = 0, i = 0; i < sizes.size(); ++i) {
    seen += sizes[i].second;
    if (seen * 2 >= total) {
      median = sizes[i].first;
      break;
    }
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& line : lines) {
    while (!line.text.empty() && line.text.back() == ' ') line.text.pop_back();
    if (line.size < 1.2 * median || line.text.empty() || line.text.size() > 240) continue;
    out.emplace_back(line.size >= 1.6 * median ? "# " : "## ", std::move(line.text));
  }
  return out;
}

core::Result<knowledge::GrayImage> PdfFile::Render(int index, int dpi, std::int64_t max_pixels) const {
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
  knowledge::GrayImage out{.width = image.width(), .height = image.height(), .dpi = used_dpi, .pixels = {}};
  out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
  for (int y = 0; y < out.height; ++y) {
    std::memcpy(out.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width),
                image.const_data() + static_cast<std::ptrdiff_t>(y) * image.bytes_per_row(),
                static_cast<std::size_t>(out.width));
  }
  return out;
}

}  // namespace salesboost::infra
