// UTF-8 validation and JSON string escaping that never emits invalid UTF-8.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace salesboost::core {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Length in bytes of the well-formed sequence starting at text[0], or 0 if it is not one.
std::size_t Utf8SequenceLength(std::string_view text);

// Code points in `text`, which must be valid UTF-8 (continuation bytes are not counted).
std::size_t CountCodePoints(std::string_view text);

// Appends `text` as a quoted JSON string. Invalid UTF-8 bytes become U+FFFD, so
// the output is always valid JSON and valid UTF-8.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace salesboost::core
