#include "knowledge/ingest/extractor.hpp"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <mutex>
#include <optional>

#include "core/text.hpp"
#include "core/utf8.hpp"
#include "knowledge/ingest/markup.hpp"
#include "knowledge/text/front_matter.hpp"
#include "knowledge/text/pdf_layout.hpp"
#include "knowledge/text/text_decode.hpp"
#include "knowledge/text/text_layer.hpp"

namespace salesboost::knowledge {
namespace {

namespace asio = boost::asio;

std::size_t VisibleChars(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && (static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Text formats, synchronously.
core::Result<Extraction> ExtractText(const SourceFile& file, const Route& route) {
  Extraction out;
  if (route.format == "docx") {
    auto markdown = DocxToMarkdown(file.bytes);
    if (!markdown) return core::Fail(markdown.error());
    out.pages.push_back({1, std::move(*markdown)});
    return out;
  }
  auto decoded = DecodeText(file.bytes);
  if (!decoded) return core::Fail(decoded.error());
  out.encoding = decoded->encoding;
  std::string text = std::move(decoded->text);
  if (route.format == "html") {
    auto markdown = HtmlToMarkdown(text);
    if (!markdown) return core::Fail(markdown.error());
    text = std::move(*markdown);
  } else if (route.format == "csv") {
    auto markdown = CsvToMarkdown(text);
    if (!markdown) return core::Fail(markdown.error());
    text = std::move(*markdown);
  } else if (route.format == "markdown") {
    out.type = TakeFrontMatterType(text);
  }
  text = core::NormalizeText(text);
  out.pages.push_back({1, std::move(text)});
  return out;
}

// Shared by the OCR lanes of one file.
struct OcrJob {
  std::mutex mutex;
  const PdfDocument* pdf = nullptr;  // rendering is serialised: PDF documents are not thread-safe
  std::vector<int> pages;            // 0-based page indexes to read
  std::size_t next = 0;
  int done = 0;
  std::vector<std::optional<OcrText>> results;  // by position in `pages`
  std::optional<core::Error> error;
};

asio::awaitable<void> OcrLane(std::shared_ptr<OcrJob> job, const ExtractDeps& deps, const ExtractProgress& progress,
                              int total) {
  while (true) {
    std::size_t slot = 0;
    {
      std::lock_guard lock(job->mutex);
      if (job->error || job->next >= job->pages.size()) co_return;
      slot = job->next++;
    }
    const int index = job->pages[slot];
    if (deps.deadline.Passed()) {
      std::lock_guard lock(job->mutex);
      job->error = deps.deadline.Exceeded(fmt::format("before OCR of page {}", index + 1));
      co_return;
    }
    auto image = co_await deps.workers.Run([&]() -> core::Result<GrayImage> {
      std::lock_guard lock(job->mutex);
      return job->pdf->Render(index, deps.limits.ocr_dpi, deps.limits.max_pixels);
    });
    if (!image) {
      std::lock_guard lock(job->mutex);
      job->error = image.error();
      co_return;
    }
    auto text = co_await deps.ocr.Recognize(*image);
    std::lock_guard lock(job->mutex);
    if (!text) {
      job->error = core::Error{text.error().code, fmt::format("OCR of page {}: {}", index + 1, text.error().message)};
      co_return;
    }
    job->results[slot] = std::move(*text);
    if (progress) progress(++job->done, total);
  }
}

// Runs `lanes` OcrLane coroutines and waits for all of them.
asio::awaitable<void> RunLanes(std::shared_ptr<OcrJob> job, const ExtractDeps& deps, const ExtractProgress& progress,
                               int total) {
  auto executor = co_await asio::this_coro::executor;
  const int lanes = std::max(1, std::min<int>(deps.ocr_lanes, static_cast<int>(job->pages.size())));
  auto remaining = std::make_shared<int>(lanes);
  asio::steady_timer all_done(executor, asio::steady_timer::time_point::max());
  for (int lane = 0; lane < lanes; ++lane) {
    asio::co_spawn(executor, OcrLane(job, deps, progress, total), [remaining, &all_done](const std::exception_ptr&) {
      if (--*remaining == 0) all_done.cancel();
    });
  }
  co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
}

void AddOcrPage(Extraction& out, int number, const OcrText& text) {
  out.ocr_confidence += text.confidence;
  ++out.ocr_pages;
  out.ocr_engine = text.engine;
  out.pages.push_back({number, core::NormalizeText(text.text)});
}

// The router's open document; the pages it already read are not read again.
asio::awaitable<core::Result<Extraction>> ExtractPdf(RoutedFile& routed, const ExtractDeps& deps,
                                                     const ExtractProgress& progress) {
  const bool scanned = routed.route.extractor == "ocr";
  const PdfDocument& pdf = *routed.pdf;
  // Text pages are read in one go on a worker.
  struct TextPass {
    std::vector<std::string> texts;  // per page; empty where OCR is needed
    std::vector<int> ocr;
    std::vector<std::string> notes;
  };
  auto read_text = [&]() -> core::Result<TextPass> {
    TextPass out;
    const int pages = pdf.Pages();
    out.texts.resize(static_cast<std::size_t>(pages));
    std::size_t chars = 0;
    for (int i = 0; i < pages; ++i) {
      const auto at = static_cast<std::size_t>(i);
      if (deps.deadline.Passed())
        return core::Fail(deps.deadline.Exceeded(fmt::format("at page {} of {}", i + 1, pages)));
      std::string text = scanned                         ? std::string()
                         : at < routed.page_texts.size() ? std::move(routed.page_texts[at])
                                                         : pdf.PageText(i);
      if (VisibleChars(text) < static_cast<std::size_t>(deps.limits.min_text_chars_per_page)) {
        out.ocr.push_back(i);
      } else if (auto garbled = GarbledTextReason(text); !garbled.empty()) {
        // A text layer that does not read as text (a broken font encoding, a poor OCR pass): the picture is read.
        out.ocr.push_back(i);
        out.notes.push_back(fmt::format("page {}: {}; OCRed", i + 1, garbled));
      } else {
        out.texts[at] = core::NormalizeText(MarkHeadings(AlignedTablesToMarkdown(text), pdf.Headings(i)));
        chars += core::CountCodePoints(out.texts[at]);
        if (auto within = CheckChars(chars, deps.limits, fmt::format("by page {} of {}", i + 1, pages)); !within) {
          return core::Fail(within.error());
        }
      }
    }
    return out;
  };
  auto pass = co_await deps.workers.Run(read_text);
  if (!pass) co_return core::Fail(pass.error());
  const int total = static_cast<int>(pass->texts.size());
  if (progress) progress(total - static_cast<int>(pass->ocr.size()), total);
  std::vector<std::optional<OcrText>> ocr_results;
  if (!pass->ocr.empty()) {
    auto job = std::make_shared<OcrJob>();
    job->pdf = &pdf;
    job->pages = pass->ocr;
    job->done = total - static_cast<int>(pass->ocr.size());
    job->results.resize(pass->ocr.size());
    co_await RunLanes(job, deps, progress, total);
    if (job->error) co_return core::Fail(*job->error);
    ocr_results = std::move(job->results);
  }
  Extraction out;
  out.notes = std::move(pass->notes);
  std::size_t next_ocr = 0;
  for (int i = 0; i < total; ++i) {
    if (next_ocr < pass->ocr.size() && pass->ocr[next_ocr] == i) {
      AddOcrPage(out, i + 1, *ocr_results[next_ocr++]);
    } else {
      out.pages.push_back({i + 1, std::move(pass->texts[static_cast<std::size_t>(i)])});
    }
  }
  if (out.ocr_pages > 0) out.ocr_confidence /= out.ocr_pages;
  co_return out;
}

std::size_t Chars(const Extraction& out) {
  std::size_t n = 0;
  for (const auto& page : out.pages) n += core::CountCodePoints(page.markdown);
  return n;
}

asio::awaitable<core::Result<Extraction>> ExtractAny(SourceFile file, RoutedFile routed, const ExtractDeps& deps,
                                                     ExtractProgress progress) {
  if (routed.route.format == "pdf") co_return co_await ExtractPdf(routed, deps, progress);
  if (routed.route.format == "image") {
    auto text = co_await deps.ocr.Recognize(*routed.image);
    if (!text) co_return core::Fail(text.error().code, "OCR: " + text.error().message);
    Extraction out;
    AddOcrPage(out, 1, *text);
    if (progress) progress(1, 1);
    co_return out;
  }
  auto read = [&] { return ExtractText(file, routed.route); };
  auto out = co_await deps.workers.Run(read);
  if (out && progress) progress(1, 1);
  co_return out;
}

}  // namespace

core::Error FileDeadline::Exceeded(std::string_view where) const {
  return core::Error{core::ErrorCode::kDeadlineExceeded,
                     fmt::format("exceeds knowledge.file_deadline_ms ({}): stopped {}", budget.count(), where)};
}

core::Result<void> CheckChars(std::size_t chars, const ExtractLimits& limits, std::string_view where) {
  if (chars <= limits.max_chars) return core::Ok();
  return core::Fail(
      core::ErrorCode::kResourceExhausted,
      fmt::format("exceeds knowledge.max_file_chars ({}): {} characters {}", limits.max_chars, chars, where));
}

asio::awaitable<core::Result<Extraction>> Extract(SourceFile file, RoutedFile routed, ExtractDeps deps,
                                                  ExtractProgress progress) {
  auto out = co_await ExtractAny(std::move(file), std::move(routed), deps, std::move(progress));
  if (!out) co_return out;
  if (auto chars = CheckChars(Chars(*out), deps.limits, "extracted"); !chars) co_return core::Fail(chars.error());
  if (deps.deadline.Passed()) co_return core::Fail(deps.deadline.Exceeded("after extraction"));
  co_return out;
}

}  // namespace salesboost::knowledge
