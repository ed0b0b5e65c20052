#include "identity/password_hasher.hpp"

#include <sodium.h>

#include "core/check.hpp"

namespace salesboost::identity {
namespace {

constexpr std::size_t kMaxPasswordBytes = 1024;

void InitSodium() { SB_CHECK(sodium_init() >= 0); }

}  // namespace

PasswordHasher::PasswordHasher(PasswordHashOptions options) : options_(options) {
  InitSodium();
  auto dummy = Hash("dummy password for unknown users");
  SB_CHECK(dummy.has_value());
  dummy_hash_ = std::move(*dummy);
}

core::Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  if (password.size() > kMaxPasswordBytes) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "password is longer than 1024 bytes");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), static_cast<unsigned long long>(options_.iterations),
                            static_cast<std::size_t>(options_.memory_kib) * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::Fail(core::ErrorCode::kResourceExhausted, "not enough memory to hash a password");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view hash, std::string_view password) const {
  if (password.size() > kMaxPasswordBytes || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::VerifyDummy(std::string_view password) const { (void)Verify(dummy_hash_, password); }

std::string GeneratePassword(std::size_t length) {
  InitSodium();
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    out.push_back(kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))]);
  }
  return out;
}

}  // namespace salesboost::identity
