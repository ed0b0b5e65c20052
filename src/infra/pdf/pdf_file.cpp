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
#include <string_view>

#if defined(__SANITIZE_ADDRESS__)
// Poppler looks up the fonts a PDF names but does not embed (the standard 14, CJK fonts) through
// fontconfig, which keeps what it allocates for the process's life; LeakSanitizer would report that
// one-off cache at exit in every program that reads such a PDF. Only fontconfig's own allocations
// are exempt.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif

namespace salesboost::infra {
namespace {

// Poppler reports damage on stderr; the caller gets our error instead.
void QuietPoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

// A word of the page in Poppler's reading order (columns one after the other), in points.
struct Word {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
  double size = 0;  // font size
  bool space_after = false;
  std::string text;
};

// A visual line: words in reading order at one height, left to right.
struct Line {
  double left = 0;
  double right = 0;
  double top = 0;
  double bottom = 0;
  double size = 0;  // the largest font size in the line
  std::size_t chars = 0;
  std::string text;
};

std::vector<Word> ReadWords(const poppler::page& page) {
  std::vector<Word> words;
  for (const auto& box : page.text_list(poppler::page::text_list_include_font)) {
    const auto utf8 = box.text().to_utf8();
    if (utf8.empty()) continue;
    const auto bbox = box.bbox();
    words.push_back(Word{.x = bbox.x(),
                         .y = bbox.y(),
                         .width = bbox.width(),
                         .height = bbox.height(),
                         .size = box.has_font_info() ? box.get_font_size() : bbox.height(),
                         .space_after = box.has_space_after(),
                         .text = std::string(utf8.begin(), utf8.end())});
  }
  return words;
}

// A word starts a new line when it sits at another height than the line or left of the word before it.
std::vector<Line> GroupLines(const std::vector<Word>& words) {
  std::vector<Line> lines;
  for (const auto& word : words) {
    Line* line = lines.empty() ? nullptr : &lines.back();
    const double height = line == nullptr ? word.height : std::max(line->bottom - line->top, word.height);
    if (line == nullptr || std::abs(word.y - line->top) > 0.5 * height || word.x + 0.5 * word.height < line->right) {
      lines.push_back({word.x, word.x, word.y, word.y + word.height, 0, 0, {}});
      line = &lines.back();
    }
    line->right = std::max(line->right, word.x + word.width);
    line->bottom = std::max(line->bottom, word.y + word.height);
    line->size = std::max(line->size, word.size);
    line->text += word.text;
    line->chars += word.text.size();
    if (word.space_after) line->text += ' ';
  }
  return lines;
}

// Columns of prose side by side: most of the page's text is in lines that have another line beside
// them (at the same height, a gap of at least a line's height away), and the lines on each side are
// long, as prose is. A table's cells side by side are not columns: a key column's short cells fail
// the test on their side.
bool HasColumns(const std::vector<Line>& lines) {
  struct Side {
    std::size_t lines = 0;
    std::size_t chars = 0;
  };
  std::size_t total = 0;
  std::size_t beside = 0;
  Side left;   // lines with a line to their right
  Side right;  // lines with a line to their left
  for (const auto& a : lines) {
    total += a.chars;
    const double gap = a.bottom - a.top;
    bool has_right = false;
    bool has_left = false;
    for (const auto& b : lines) {
      const double overlap = std::min(a.bottom, b.bottom) - std::max(a.top, b.top);
      if (&b == &a || overlap <= 0.3 * std::min(a.bottom - a.top, b.bottom - b.top)) continue;
      has_right = has_right || b.left >= a.right + gap;
      has_left = has_left || a.left >= b.right + gap;
    }
    if (has_right || has_left) beside += a.chars;
    for (auto [side, has] : {std::pair{&left, has_right}, std::pair{&right, has_left}}) {
      if (!has) continue;
      ++side->lines;
      side->chars += a.chars;
    }
  }
  constexpr std::size_t kMinLines = 3;  // on each side
  constexpr std::size_t kProseLineBytes = 25;
  const auto prose = [](const Side& side) {
    return side.lines >= kMinLines && side.chars >= kProseLineBytes * side.lines;
  };
  return beside * 2 >= total && prose(left) && prose(right);
}

// The lines in reading order, one per line; a blank line where a paragraph or a column ends (the next
// line starts higher up, or more than half a line's height below).
std::string ReadingOrderText(std::vector<Line>& lines) {
  std::string text;
  const Line* previous = nullptr;
  for (auto& line : lines) {
    while (!line.text.empty() && line.text.back() == ' ') line.text.pop_back();
    if (line.text.empty()) continue;
    if (previous != nullptr) {
      const double height = std::max(previous->bottom - previous->top, line.bottom - line.top);
      const double gap = line.top - previous->bottom;
      text += gap < 0 || gap > 0.5 * height ? "\n\n" : "\n";
    }
    text += line.text;
    previous = &line;
  }
  text += '\n';
  return text;
}

// The cheap test first: columns side by side leave a wide gap inside many lines of the physical layout.
bool MayHaveColumns(std::string_view layout) {
  constexpr int kMinLines = 6;
  int gapped = 0;
  while (!layout.empty() && gapped < kMinLines) {
    const auto end = std::min(layout.find('\n'), layout.size());
    const auto line = layout.substr(0, end);
    const auto first = line.find_first_not_of(' ');
    const auto last = line.find_last_not_of(' ');
    if (first != std::string_view::npos && line.substr(first, last - first).find("   ") != std::string_view::npos) {
      ++gapped;
    }
    layout.remove_prefix(std::min(end + 1, layout.size()));
  }
  return gapped >= kMinLines;
}

}  // namespace

struct PdfFile::Impl {
  std::string bytes;  // Poppler reads from this buffer for the document's life
  std::unique_ptr<poppler::document> document;
  // The words of the page read last: PageText and Headings of one page share them.
  mutable int words_page = -1;
  mutable std::vector<Word> words;

  const std::vector<Word>& WordsOf(int index, const poppler::page& page) const {
    if (words_page != index) {
      words = ReadWords(page);
      words_page = index;
    }
    return words;
  }
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
  // One column: the physical layout keeps a table's columns aligned. Columns of prose: reading
  // order, each column top to bottom, left before right (the physical layout would interleave them).
  const auto utf8 = page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
  if (MayHaveColumns(std::string_view(utf8.data(), utf8.size()))) {
    auto lines = GroupLines(impl_->WordsOf(index, *page));
    if (HasColumns(lines)) return ReadingOrderText(lines);
  }
  std::string text(utf8.begin(), utf8.end());
  std::replace(text.begin(), text.end(), '\f', '\n');
  return text;
}

std::vector<std::pair<std::string, std::string>> PdfFile::Headings(int index) const {
  std::unique_ptr<poppler::page> page(impl_->document->create_page(index));
  if (!page) return {};
  const auto& words = impl_->WordsOf(index, *page);
  std::vector<std::pair<double, std::size_t>> sizes;  // font size, characters
  sizes.reserve(words.size());
  for (const auto& word : words) sizes.emplace_back(word.size, word.text.size());
  auto lines = GroupLines(words);
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
