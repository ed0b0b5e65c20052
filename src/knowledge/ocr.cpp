#include "knowledge/ocr.hpp"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <cmath>

#include "core/text.hpp"
#include "core/utf8.hpp"

namespace salesboost::knowledge {
namespace {

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

core::Result<GrayImage> DecodeImage(std::string_view bytes, std::int64_t max_pixels) {
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  l_int32 format = 0;
  l_int32 w = 0;
  l_int32 h = 0;
  l_int32 bps = 0;
  l_int32 spp = 0;
  if (pixReadHeaderMem(data, bytes.size(), &format, &w, &h, &bps, &spp, nullptr) != 0 || w <= 0 || h <= 0) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "image: unknown format or damaged header");
  }
  if (static_cast<std::int64_t>(w) * h > max_pixels) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "image: " + std::to_string(w) + "x" + std::to_string(h) +
                                                             " is larger than the limit of " +
                                                             std::to_string(max_pixels / 1000000) + " megapixels");
  }
  Pix* pix = pixReadMem(data, bytes.size());
  if (pix == nullptr) return core::Fail(core::ErrorCode::kInvalidArgument, "image: damaged data");
  Pix* gray = pixConvertTo8(pix, 0);
  pixDestroy(&pix);
  if (gray == nullptr) return core::Fail(core::ErrorCode::kInvalidArgument, "image: unsupported pixel format");
  GrayImage out{.width = static_cast<int>(pixGetWidth(gray)),
                .height = static_cast<int>(pixGetHeight(gray)),
                .dpi = 300,
                .pixels = {}};
  const l_int32 xres = pixGetXRes(gray);
  if (xres >= 70 && xres <= 1200) out.dpi = xres;
  out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
  const l_uint32* rows = pixGetData(gray);
  const l_int32 wpl = pixGetWpl(gray);
  for (int y = 0; y < out.height; ++y) {
    const l_uint32* line = rows + static_cast<std::ptrdiff_t>(y) * wpl;
    for (int x = 0; x < out.width; ++x) {
      out.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) + static_cast<std::size_t>(x)] =
          static_cast<std::uint8_t>(GET_DATA_BYTE(line, x));
    }
  }
  pixDestroy(&gray);
  return out;
}

ImageInfo Inspect(const GrayImage& image) {
  ImageInfo info{.width = image.width, .height = image.height, .brightness = 0, .contrast = 0};
  if (image.pixels.empty()) return info;
  // Every 7th pixel is plenty for a mean and a deviation.
  double sum = 0;
  double squares = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < image.pixels.size(); i += 7, ++n) {
    const double v = image.pixels[i];
    sum += v;
    squares += v * v;
  }
  info.brightness = sum / static_cast<double>(n);
  info.contrast = std::sqrt(std::max(0.0, squares / static_cast<double>(n) - info.brightness * info.brightness));
  return info;
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

}  // namespace salesboost::knowledge
