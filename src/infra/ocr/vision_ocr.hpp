// VisionOcr: pages read by a vision-language model (DeepSeek-OCR-2 served by
// vLLM, or any OpenAI-compatible endpoint taking image_url parts) through an
// llm::ChatProvider, so its breaker, slots and retries apply. Whenever the call
// fails or the breaker refuses it, the page goes to `fallback` (Tesseract):
// while the breaker is open no page waits on the model. Thread-safe; the
// provider, the fallback and the pool must outlive it.
#pragma once

#include <chrono>
#include <string>

#include "core/blocking_pool.hpp"
#include "core/logging.hpp"
#include "knowledge/ingest/ocr.hpp"
#include "llm/chat_provider.hpp"

namespace salesboost::infra {

class VisionOcr final : public knowledge::Ocr {
 public:
  VisionOcr(llm::ChatProvider& provider, knowledge::Ocr& fallback, core::BlockingPool& workers,
            std::chrono::milliseconds budget, core::Logger logger);

  boost::asio::awaitable<core::Result<knowledge::OcrText>> Recognize(const knowledge::GrayImage& image) override;

 private:
  llm::ChatProvider& provider_;
  knowledge::Ocr& fallback_;
  core::BlockingPool& workers_;
  std::chrono::milliseconds budget_;
  core::Logger logger_;
};

// The image as PNG (Leptonica), for data: URLs.
core::Result<std::string> EncodePng(const knowledge::GrayImage& image);

}  // namespace salesboost::infra
