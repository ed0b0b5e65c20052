#include "knowledge/document_identity.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cstdint>

#include "core/utf8.hpp"

namespace salesboost::knowledge {
namespace {

std::string Fnv16(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", hash);
}

// The code point of the UTF-8 sequence at the start of `text` (valid UTF-8).
char32_t FirstCodePoint(std::string_view text, std::size_t length) {
  const auto lead = static_cast<unsigned char>(text[0]);
  char32_t cp = length == 1 ? lead : lead & (0x7Fu >> length);
  for (std::size_t i = 1; i < length; ++i) cp = (cp << 6) | (static_cast<unsigned char>(text[i]) & 0x3Fu);
  return cp;
}

bool IsControl(char32_t cp) {
  const bool c0_or_c1 = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
  const bool bidi = cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
  return c0_or_c1 || bidi;
}

}  // namespace

std::string FileNameProblem(std::string_view name) {
  if (name.empty() || name.size() > 255) return "a file name of 1 to 255 bytes is required";
  if (!core::IsValidUtf8(name)) return "the file name is not valid UTF-8";
  for (std::size_t at = 0; at < name.size();) {
    const std::size_t length = std::max<std::size_t>(1, core::Utf8SequenceLength(name.substr(at)));
    const char32_t cp = FirstCodePoint(name.substr(at), length);
    if (IsControl(cp))
      return fmt::format("the file name contains a control character (U+{:04X})", static_cast<std::uint32_t>(cp));
    at += length;
  }
  return {};
}

std::string DocumentId(const std::string& tenant_id, const std::string& collection, const std::string& name) {
  return "doc_" + Fnv16(tenant_id + '\0' + collection + '\0' + name);
}

std::string ContentVersion(std::string_view bytes) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string out;
  for (const auto byte : hash) out += fmt::format("{:02x}", byte);
  return out;
}

}  // namespace salesboost::knowledge
