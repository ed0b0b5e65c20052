#include "knowledge/document_identity.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <cstdint>

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

}  // namespace

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
