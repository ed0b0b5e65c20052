// TesseractOcr: the knowledge::Ocr port on Tesseract 5 (LSTM, `languages`
// such as "chi_sim+eng") on the blocking pool, one engine per concurrent
// page, engines kept for reuse. Run the process with OMP_THREAD_LIMIT=1:
// Tesseract's OpenMP threads fight the page-level parallelism on small
// machines. Thread-safe; the pool must outlive it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/blocking_pool.hpp"
#include "core/result.hpp"
#include "knowledge/ingest/ocr.hpp"

namespace salesboost::infra {

class TesseractOcr final : public knowledge::Ocr {
 public:
  TesseractOcr(core::BlockingPool& pool, std::string languages);
  ~TesseractOcr() override;

  boost::asio::awaitable<core::Result<knowledge::OcrText>> Recognize(const knowledge::GrayImage& image) override;
  // The same, on the calling thread.
  core::Result<knowledge::OcrText> RecognizeNow(const knowledge::GrayImage& image);

 private:
  class Engine;
  std::unique_ptr<Engine> Take();
  void Give(std::unique_ptr<Engine> engine);

  core::BlockingPool& pool_;
  std::string languages_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Engine>> idle_;  // guarded by mutex_
};

// Removes the spaces Tesseract puts between Chinese characters.
std::string JoinHanSpaces(std::string_view text);

}  // namespace salesboost::infra
