#include "infra/ocr/vision_ocr.hpp"

#include <leptonica/allheaders.h>
#include <sodium.h>

#include <cstring>

namespace salesboost::infra {
namespace {

using knowledge::GrayImage;
using knowledge::OcrText;

// The instruction DeepSeek-OCR documents for page-to-Markdown conversion.
constexpr const char* kPrompt = "<image>\n<|grounding|>Convert the document to markdown.";

class Collect final : public llm::TokenSink {
 public:
  boost::asio::awaitable<bool> Token(std::string text) override {
    out.append(text);
    co_return true;
  }
  std::string out;
};

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL
  return out;
}

}  // namespace

core::Result<std::string> EncodePng(const GrayImage& image) {
  Pix* pix = pixCreate(image.width, image.height, 8);
  if (pix == nullptr) return core::Fail(core::ErrorCode::kInternal, "cannot allocate the page image");
  pixSetResolution(pix, image.dpi, image.dpi);
  l_uint32* rows = pixGetData(pix);
  const l_int32 wpl = pixGetWpl(pix);
  for (int y = 0; y < image.height; ++y) {
    l_uint32* line = rows + static_cast<std::ptrdiff_t>(y) * wpl;
    for (int x = 0; x < image.width; ++x) {
      SET_DATA_BYTE(line, x,
                    image.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) +
                                 static_cast<std::size_t>(x)]);
    }
  }
  l_uint8* data = nullptr;
  size_t size = 0;
  const int failed = pixWriteMem(&data, &size, pix, IFF_PNG);
  pixDestroy(&pix);
  if (failed != 0 || data == nullptr) return core::Fail(core::ErrorCode::kInternal, "cannot encode the page as PNG");
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}

VisionOcr::VisionOcr(llm::ChatProvider& provider, knowledge::Ocr& fallback, core::BlockingPool& workers,
                     std::chrono::milliseconds budget, core::Logger logger)
    : provider_(provider), fallback_(fallback), workers_(workers), budget_(budget), logger_(std::move(logger)) {}

boost::asio::awaitable<core::Result<OcrText>> VisionOcr::Recognize(const GrayImage& image) {
  auto png = co_await workers_.Run([&image] { return EncodePng(image); });
  if (png) {
    llm::ChatRequest request;
    request.temperature = 0;
    request.max_tokens = 4096;
    request.messages.push_back(
        llm::ChatMessage{.role = "user", .content = kPrompt, .image_urls = {"data:image/png;base64," + Base64(*png)}});
    Collect sink;
    const auto deadline = std::chrono::steady_clock::now() + budget_;
    auto reply = co_await provider_.Stream(request, sink, deadline);
    if (reply && !reply->text.empty()) {
      co_return OcrText{.text = std::move(reply->text), .confidence = 100, .engine = provider_.Name()};
    }
    logger_.Warn("vision_ocr_fallback", {{"provider", provider_.Name()},
                                         {"error", reply ? std::string("empty reply") : reply.error().error.message}});
  }
  co_return co_await fallback_.Recognize(image);
}

}  // namespace salesboost::infra
