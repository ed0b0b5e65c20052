#include "knowledge/text/text_decode.hpp"

#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <memory>

#include "core/utf8.hpp"

namespace salesboost::knowledge {
namespace {

// Strict conversion with ICU: the first illegal or unmappable sequence fails.
core::Result<std::string> Convert(std::string_view bytes, const char* charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> converter(ucnv_open(charset, &status), &ucnv_close);
  if (U_FAILURE(status)) return core::Fail(core::ErrorCode::kInternal, std::string("no converter for ") + charset);
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), converter.get(), status);
  if (U_FAILURE(status)) return core::Fail(core::ErrorCode::kInvalidArgument, std::string("not valid ") + charset);
  std::string out;
  text.toUTF8String(out);
  return out;
}

core::Result<DecodedText> Decode(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF"))
    bytes.remove_prefix(3);
  else if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    const bool little = bytes[0] == '\xFF';
    auto text = Convert(bytes.substr(2), little ? "UTF-16LE" : "UTF-16BE");
    if (!text) return core::Fail(text.error());
    return DecodedText{std::move(*text), little ? "utf-16le" : "utf-16be"};
  }
  if (bytes.find('\0') != std::string_view::npos) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "binary content (NUL bytes) in a text file");
  }
  if (core::IsValidUtf8(bytes)) return DecodedText{std::string(bytes), "utf-8"};
  auto text = Convert(bytes, "GB18030");
  if (!text) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "unknown text encoding (tried UTF-8, GB18030/GBK and UTF-16 with a BOM)");
  }
  return DecodedText{std::move(*text), "gb18030"};
}

}  // namespace

core::Result<DecodedText> DecodeText(std::string_view bytes) {
  auto decoded = Decode(bytes);
  // A BOM written twice (a file saved again by a tool that adds one), or GB18030's own, leaves
  // U+FEFF at the start of the text: it is no part of the text either.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (decoded) {
    while (decoded->text.starts_with(kBom)) decoded->text.erase(0, kBom.size());
  }
  return decoded;
}

}  // namespace salesboost::knowledge
