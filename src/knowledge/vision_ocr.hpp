// VisionOcr: pages read by a vision-language model (DeepSeek-OCR-2 served by
// vLLM, or any OpenAI-compatible endpoint taking image_url parts) through an
// llm::Provider, so its breaker, slots and retries apply. Whenever the call
// fails or the breaker refuses it, the page goes to `fallback` (Tesseract):
// while the breaker is open no page waits on the model.
#pragma once

#include <chrono>
#include <string>

#include "core/blocking_pool.hpp"
#include "core/logging.hpp"
#include "knowledge/ocr.hpp"
#include "llm/chat_provider.hpp"

namespace salesboost::knowledge {

class VisionOcr final : public Ocr {
 public:
  VisionOcr(llm::ChatProvider& provider, Ocr& fallback, core::BlockingPool& workers, std::chrono::milliseconds budget,
            core::Logger logger);

  boost::asio::awaitable<core::Result<OcrText>> Recognize(const GrayImage& image) override;

 private:
  llm::ChatProvider& provider_;
  Ocr& fallback_;
  core::BlockingPool& workers_;
  std::chrono::milliseconds budget_;
  core::Logger logger_;
};

// The image as PNG (Leptonica), for data: URLs.
core::Result<std::string> EncodePng(const GrayImage& image);

}  // namespace salesboost::knowledge
