#include "infra/ocr/tesseract_ocr.hpp"

#include <tesseract/baseapi.h>

#include "core/text.hpp"
#include "core/utf8.hpp"

namespace salesboost::infra {
namespace {

using knowledge::GrayImage;
using knowledge::OcrText;

bool IsHanAt(std::string_view text, std::size_t at, std::size_t length) {
  return length == 3 && core::ContainsHan(text.substr(at, length));
}

}  // namespace

class TesseractOcr::Engine {
 public:
  core::Result<void> Init(const std::string& languages) {
    if (api_.Init(nullptr, languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
      return core::Fail(core::ErrorCode::kFailedPrecondition,
                        "Tesseract: cannot load languages " + languages + " (install tesseract-ocr-chi-sim/-eng)");
    }
    api_.SetVariable("preserve_interword_spaces", "1");
    api_.SetPageSegMode(tesseract::PSM_AUTO);
    return core::Ok();
  }
  core::Result<OcrText> Run(const GrayImage& image) {
    api_.SetImage(image.pixels.data(), image.width, image.height, 1, image.width);
    api_.SetSourceResolution(image.dpi);
    std::unique_ptr<char[]> text(api_.GetUTF8Text());
    const int confidence = api_.MeanTextConf();
    api_.Clear();
    if (!text) return core::Fail(core::ErrorCode::kInternal, "Tesseract: recognition failed");
    return OcrText{
        .text = JoinHanSpaces(text.get()), .confidence = static_cast<double>(confidence), .engine = "tesseract"};
  }
  ~Engine() { api_.End(); }

 private:
  tesseract::TessBaseAPI api_;
};

TesseractOcr::TesseractOcr(core::BlockingPool& pool, std::string languages)
    : pool_(pool), languages_(std::move(languages)) {}

TesseractOcr::~TesseractOcr() = default;

std::unique_ptr<TesseractOcr::Engine> TesseractOcr::Take() {
  std::lock_guard lock(mutex_);
  if (idle_.empty()) return nullptr;
  auto engine = std::move(idle_.back());
  idle_.pop_back();
  return engine;
}

void TesseractOcr::Give(std::unique_ptr<Engine> engine) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(engine));
}

core::Result<OcrText> TesseractOcr::RecognizeNow(const GrayImage& image) {
  auto engine = Take();
  if (!engine) {
    engine = std::make_unique<Engine>();
    if (auto ready = engine->Init(languages_); !ready) return core::Fail(ready.error());
  }
  auto text = engine->Run(image);
  Give(std::move(engine));
  return text;
}

boost::asio::awaitable<core::Result<OcrText>> TesseractOcr::Recognize(const GrayImage& image) {
  co_return co_await pool_.Run([this, &image] { return RecognizeNow(image); });
}

std::string JoinHanSpaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t last_han_end = std::string_view::npos;  // where the previous Han character ended in `out`
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = std::max<std::size_t>(1, core::Utf8SequenceLength(text.substr(i)));
    if (text[i] == ' ') {
      std::size_t j = i;
      while (j < text.size() && text[j] == ' ') ++j;
      const std::size_t next = j < text.size() ? core::Utf8SequenceLength(text.substr(j)) : 0;
      if (last_han_end == out.size() && j < text.size() && IsHanAt(text, j, next)) {
        i = j;
        continue;
      }
      out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    out.append(text.substr(i, n));
    if (IsHanAt(text, i, n)) last_han_end = out.size();
    i += n;
  }
  return out;
}

}  // namespace salesboost::infra
