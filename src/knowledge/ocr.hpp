// OCR: page images to text.
//
// Ocr is the port; TesseractOcr runs Tesseract 5 (LSTM, `languages` such as
// "chi_sim+eng") on the blocking pool, one engine per concurrent page, engines
// kept for reuse. Run the process with OMP_THREAD_LIMIT=1: Tesseract's OpenMP
// threads fight the page-level parallelism on small machines.
// VisionOcr (knowledge/vision_ocr.hpp) sends pages to an OpenAI-compatible
// vision model and falls back to another Ocr when its provider fails.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/blocking_pool.hpp"
#include "core/result.hpp"
#include "knowledge/pdf.hpp"

namespace salesboost::knowledge {

struct OcrText {
  std::string text;       // Markdown-ish: paragraphs separated by blank lines
  double confidence = 0;  // 0-100, the engine's mean
  std::string engine;     // "tesseract", or the vision provider's name
};

class Ocr {
 public:
  virtual ~Ocr() = default;
  virtual boost::asio::awaitable<core::Result<OcrText>> Recognize(const GrayImage& image) = 0;
};

class TesseractOcr final : public Ocr {
 public:
  TesseractOcr(core::BlockingPool& pool, std::string languages);
  ~TesseractOcr() override;

  boost::asio::awaitable<core::Result<OcrText>> Recognize(const GrayImage& image) override;
  // The same, on the calling thread.
  core::Result<OcrText> RecognizeNow(const GrayImage& image);

 private:
  class Engine;
  std::unique_ptr<Engine> Take();
  void Give(std::unique_ptr<Engine> engine);

  core::BlockingPool& pool_;
  std::string languages_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Engine>> idle_;  // guarded by mutex_
};

struct ImageInfo {
  int width = 0;
  int height = 0;
  double brightness = 0;  // mean grey, 0-255
  double contrast = 0;    // standard deviation of grey
};

// Decodes PNG, JPEG, TIFF, BMP, GIF or WebP (Leptonica) to grey, refusing
// images above `max_pixels` before decoding them.
core::Result<GrayImage> DecodeImage(std::string_view bytes, std::int64_t max_pixels);
ImageInfo Inspect(const GrayImage& image);

// Removes the spaces OCR engines put between Chinese characters.
std::string JoinHanSpaces(std::string_view text);

}  // namespace salesboost::knowledge
