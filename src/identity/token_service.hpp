// TokenService: issues and verifies JWTs (HS256, RFC 7519) that carry a
// Principal. Only HS256 is accepted on verification (no "none", no algorithm
// confusion); expiry is checked against the injected Clock. The key comes
// from the secret store. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "identity/principal.hpp"

namespace salesboost::identity {

struct IssuedToken {
  std::string token;
  std::chrono::system_clock::time_point expires_at;
};

class TokenService {
 public:
  // `key` must hold at least 32 bytes.
  TokenService(std::string key, std::chrono::seconds ttl, const core::Clock& clock);

  IssuedToken Issue(const Principal& principal) const;
  // kUnauthenticated for anything but a well-formed, correctly signed, unexpired token.
  core::Result<Principal> Verify(std::string_view token) const;

 private:
  std::string key_;
  std::chrono::seconds ttl_;
  const core::Clock& clock_;
};

}  // namespace salesboost::identity
