// GrayImage: an 8-bit grey page or picture, as PDF rendering and image
// decoding produce it and OCR reads it. A plain value.
#pragma once

#include <cstdint>
#include <vector>

namespace salesboost::knowledge {

struct GrayImage {
  int width = 0;
  int height = 0;
  int dpi = 300;
  std::vector<std::uint8_t> pixels;  // row-major, width bytes per row
};

}  // namespace salesboost::knowledge
