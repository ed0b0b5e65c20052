// A plain-text upload: knowledge::DecodeText (BOMs, UTF-8, GB18030, binary
// refused) checked for valid UTF-8 without a BOM, then the text extractor
// through knowledge::Extract.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract_harness.hpp"
#include "knowledge/text/text_decode.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto decoded = salesboost::knowledge::DecodeText(bytes);
  if (decoded) {
    SB_CHECK(salesboost::core::IsValidUtf8(decoded->text));
    SB_CHECK(!decoded->text.starts_with("\xEF\xBB\xBF"));
    SB_CHECK(!decoded->encoding.empty());
  }
  auto extraction = salesboost::fuzz::ExtractAs(bytes, "text");
  SB_CHECK(extraction.has_value() == decoded.has_value());
  return 0;
}
