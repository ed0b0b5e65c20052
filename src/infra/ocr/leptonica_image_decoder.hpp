// LeptonicaImageDecoder: the knowledge::ImageDecoder port on Leptonica
// (PNG, JPEG, TIFF, BMP, GIF, WebP to 8-bit grey, the resolution kept when
// the file states a plausible one). Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "knowledge/ingest/image_decoder.hpp"

namespace salesboost::infra {

class LeptonicaImageDecoder final : public knowledge::ImageDecoder {
 public:
  core::Result<knowledge::GrayImage> Decode(std::string_view bytes, std::int64_t max_pixels) const override;
};

// The same, as a function: refuses images above `max_pixels` before decoding them.
core::Result<knowledge::GrayImage> DecodeImage(std::string_view bytes, std::int64_t max_pixels);

}  // namespace salesboost::infra
