// ImageDecoder: the port that turns PNG, JPEG, TIFF, BMP, GIF or WebP bytes
// into grey pixels (infra::LeptonicaImageDecoder). Images above `max_pixels`
// are refused before they are decoded; unknown or damaged data is an
// invalid-argument error naming the image. Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "knowledge/ingest/gray_image.hpp"

namespace salesboost::knowledge {

class ImageDecoder {
 public:
  virtual ~ImageDecoder() = default;
  virtual core::Result<GrayImage> Decode(std::string_view bytes, std::int64_t max_pixels) const = 0;
};

}  // namespace salesboost::knowledge
