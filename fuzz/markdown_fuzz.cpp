// A Markdown upload: text decoding, the front matter's type, normalisation.
// Through knowledge::Extract, as the ingest pipeline calls it for a file the
// router took for markdown.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto extraction = salesboost::fuzz::ExtractAs(bytes, "markdown");
  if (extraction) SB_CHECK(extraction->pages.size() == 1);
  return 0;
}
