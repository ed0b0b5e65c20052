// Ocr: the port that reads page images as text. Implementations:
// infra::TesseractOcr (Tesseract 5 on the blocking pool) and infra::VisionOcr
// (an OpenAI-compatible vision model, falling back to another Ocr).
// Implementations are thread-safe: pages are read in parallel lanes.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "core/result.hpp"
#include "knowledge/ingest/gray_image.hpp"

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

}  // namespace salesboost::knowledge
