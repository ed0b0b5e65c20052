#include "knowledge/ingest/image_info.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace salesboost::knowledge {

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

}  // namespace salesboost::knowledge
