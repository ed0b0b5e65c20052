// CheckPdfImages: refuses a PDF whose images or streams would decode past a
// budget, before any PDF engine reads it. An image's declared /Width,
// /Height, /BitsPerComponent and colour space say what decoding it costs,
// however small its compressed stream (a JBIG2 page of 100000 x 100000
// pixels fits in 30 bytes and makes a decoder allocate 1.2 GB; Flate of
// zeros is 1000:1), and the engine loops over the declared size even when
// the data runs out.
//
// How: every "N G obj" in the bytes is read with a small PDF object parser,
// whatever the cross-reference table says (a broken one is rebuilt by the
// engine from the same bytes). Image XObjects are streams, and a stream is
// never inside an object stream, so every image dictionary is in plain
// sight; a /Width or /Height given as a reference is followed to its object,
// and one that cannot be followed (compressed in an object stream) refuses
// the file: what cannot be checked is not decoded. Names are read with their
// #xx escapes decoded, as the engine reads them. Every other stream (page
// contents, forms, fonts) is decoded through its filters (Flate, ASCIIHex,
// ASCII85; any other filter refuses the file) up to the byte budget, and the
// inline images in it (BI ... ID) are checked like the others. Data for an
// image codec is checked by the codec's own header too, since that is what
// its decoder allocates: a JPEG's frame, a JPEG 2000 SIZ marker, a JBIG2
// page and its regions. The parser's work is bounded by the file's size and
// its nesting depth.
//
// Not covered: an encrypted PDF's streams (an owner password only, so the
// engine opens it) are ciphertext here; only their image dictionaries,
// which are not encrypted, are checked. JBIG2 global segments and symbol
// dictionaries, and CCITT data, are not read (CCITT rows are drawn as the
// dictionary declares them). Decoding for the check holds one stream at a
// time, up to the byte budget.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace salesboost::knowledge {

struct PdfImageBudget {
  std::int64_t max_pixels = 60'000'000;          // per image: width x height
  std::int64_t max_decoded_bytes = 256ll << 20;  // per image (width x height x components x bits / 8) or
                                                 // stream; the whole file's streams: four times this
};

// kInvalidArgument naming the first image or stream over the budget (its object number, size and
// the limit), or what could not be checked.
core::Result<void> CheckPdfImages(std::string_view pdf, const PdfImageBudget& budget);

}  // namespace salesboost::knowledge
