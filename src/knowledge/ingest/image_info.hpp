// Inspect: cheap statistics of a grey image (size, brightness, contrast) that
// tell the router how hard a picture is to read. Pure.
#pragma once

#include "knowledge/ingest/gray_image.hpp"

namespace salesboost::knowledge {

struct ImageInfo {
  int width = 0;
  int height = 0;
  double brightness = 0;  // mean grey, 0-255
  double contrast = 0;    // standard deviation of grey
};

ImageInfo Inspect(const GrayImage& image);

}  // namespace salesboost::knowledge
