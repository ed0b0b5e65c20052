// PasswordHasher: argon2id password hashes (libsodium), in the self-describing
// "$argon2id$v=19$m=...,t=...,p=1$salt$hash" form, so the cost can be raised
// later without invalidating stored hashes. Hashing is deliberately slow and
// memory-hard: call it on the blocking pool, never on an I/O thread.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace salesboost::identity {

struct PasswordHashOptions {
  std::int64_t memory_kib = 65536;  // argon2id memory per hash (libsodium's "interactive" level)
  std::int64_t iterations = 2;      // argon2id passes
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHashOptions options);

  core::Result<std::string> Hash(std::string_view password) const;
  // True when `password` matches `hash`; false for a wrong password or a malformed hash.
  bool Verify(std::string_view hash, std::string_view password) const;
  // Burns the same time as a Verify, for unknown users (no timing oracle).
  void VerifyDummy(std::string_view password) const;

 private:
  PasswordHashOptions options_;
  std::string dummy_hash_;
};

// A random password of `length` characters from an unambiguous alphabet.
std::string GeneratePassword(std::size_t length = 20);

}  // namespace salesboost::identity
