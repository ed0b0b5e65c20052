// DecodeText: bytes of a text file to UTF-8, detecting the encoding: a BOM
// (UTF-8, UTF-16LE, UTF-16BE), else well-formed UTF-8, else GB18030 (which
// covers GBK and GB2312). Anything else, or bytes that look binary (NUL in
// 8-bit text), is an invalid-argument error naming what was tried. Pure;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace salesboost::knowledge {

struct DecodedText {
  std::string text;      // UTF-8, without a BOM
  std::string encoding;  // "utf-8", "utf-16le", "utf-16be" or "gb18030"
};

core::Result<DecodedText> DecodeText(std::string_view bytes);

}  // namespace salesboost::knowledge
