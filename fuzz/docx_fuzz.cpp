// A DOCX upload: libarchive's zip reader with the zip-bomb caps, then word/document.xml to Markdown (DocxToMarkdown).
// Through knowledge::Extract, as the ingest pipeline calls it for a file the
// router took for docx.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto extraction = salesboost::fuzz::ExtractAs(bytes, "docx");
  if (extraction) SB_CHECK(extraction->pages.size() == 1);
  return 0;
}
