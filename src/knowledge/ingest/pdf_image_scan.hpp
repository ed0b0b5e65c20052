// CheckPdfImages: refuses a PDF whose images would decode past a budget,
// before any PDF engine reads them. An image's declared /Width, /Height,
// /BitsPerComponent and colour space say what decoding it costs, however
// small its compressed stream (a JBIG2 page of 100000 x 100000 pixels fits
// in 30 bytes and makes a decoder allocate 1.2 GB; Flate of zeros is 1000:1).
//
// How: every "N G obj" in the bytes is read with a small PDF object parser,
// whatever the cross-reference table says (a broken one is rebuilt by the
// engine from the same bytes). Image XObjects are streams, and a stream is
// never inside an object stream, so every image dictionary is in plain
// sight; a /Width or /Height given as a reference is followed to its object,
// and one that cannot be followed (compressed in an object stream) refuses
// the file: what cannot be checked is not decoded. Names are read with their
// #xx escapes decoded, as the engine reads them.
//
// Not covered: inline images (BI ... ID ... EI) inside compressed content
// streams; their data lives in the content stream, which bounds it.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace salesboost::knowledge {

struct PdfImageBudget {
  std::int64_t max_pixels = 60'000'000;          // per image: width x height
  std::int64_t max_decoded_bytes = 256ll << 20;  // per image: width x height x components x bits / 8
};

// kInvalidArgument naming the first image over the budget (its object number, size and the limit),
// or objects nested too deeply to check.
core::Result<void> CheckPdfImages(std::string_view pdf, const PdfImageBudget& budget);

}  // namespace salesboost::knowledge
