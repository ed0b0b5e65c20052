#include "infra/ocr/leptonica_image_decoder.hpp"

#include <leptonica/allheaders.h>

#include <cstddef>
#include <string>

namespace salesboost::infra {

using knowledge::GrayImage;

core::Result<GrayImage> DecodeImage(std::string_view bytes, std::int64_t max_pixels) {
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  l_int32 format = 0;
  l_int32 w = 0;
  l_int32 h = 0;
  l_int32 bps = 0;
  l_int32 spp = 0;
  if (pixReadHeaderMem(data, bytes.size(), &format, &w, &h, &bps, &spp, nullptr) != 0 || w <= 0 || h <= 0) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "image: unknown format or damaged header");
  }
  if (static_cast<std::int64_t>(w) * h > max_pixels) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "image: " + std::to_string(w) + "x" + std::to_string(h) +
                                                             " is larger than the limit of " +
                                                             std::to_string(max_pixels / 1000000) + " megapixels");
  }
  Pix* pix = pixReadMem(data, bytes.size());
  if (pix == nullptr) return core::Fail(core::ErrorCode::kInvalidArgument, "image: damaged data");
  Pix* gray = pixConvertTo8(pix, 0);
  pixDestroy(&pix);
  if (gray == nullptr) return core::Fail(core::ErrorCode::kInvalidArgument, "image: unsupported pixel format");
  GrayImage out{.width = static_cast<int>(pixGetWidth(gray)),
                .height = static_cast<int>(pixGetHeight(gray)),
                .dpi = 300,
                .pixels = {}};
  const l_int32 xres = pixGetXRes(gray);
  if (xres >= 70 && xres <= 1200) out.dpi = xres;
  out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
  const l_uint32* rows = pixGetData(gray);
  const l_int32 wpl = pixGetWpl(gray);
  for (int y = 0; y < out.height; ++y) {
    const l_uint32* line = rows + static_cast<std::ptrdiff_t>(y) * wpl;
    for (int x = 0; x < out.width; ++x) {
      out.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) + static_cast<std::size_t>(x)] =
          static_cast<std::uint8_t>(GET_DATA_BYTE(line, x));
    }
  }
  pixDestroy(&gray);
  return out;
}

core::Result<GrayImage> LeptonicaImageDecoder::Decode(std::string_view bytes, std::int64_t max_pixels) const {
  return DecodeImage(bytes, max_pixels);
}

}  // namespace salesboost::infra
