// A CSV upload: text decoding, then the delimiter guess and RFC 4180 quoting to Markdown tables (CsvToMarkdown).
// Through knowledge::Extract, as the ingest pipeline calls it for a file the
// router took for csv.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto extraction = salesboost::fuzz::ExtractAs(bytes, "csv");
  if (extraction) SB_CHECK(extraction->pages.size() == 1);
  return 0;
}
