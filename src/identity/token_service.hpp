// TokenService: issues and verifies JWTs (HS256, RFC 7519) that carry a
// Principal. Only HS256 is accepted on verification (no "none", no algorithm
// confusion); expiry is checked against the injected Clock. The key comes
// from the secret store.
//
// Keys rotate without a restart: every token's header names its key in "kid"
// (KeyId: derived from the key, so instances sharing a key agree on it).
// Rotate(new_key) makes new_key the signing key; the key it replaces keeps
// verifying tokens for `previous_key_overlap` from the rotation, then is
// forgotten. Tokens without a "kid" (issued before kids existed) are checked
// against the current key and, within the overlap, the previous one.
// Thread-safe: Issue, Verify and Rotate may run concurrently.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
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
  // `key` must hold at least 32 bytes. `previous_key_overlap` defaults to `ttl`,
  // the longest a token signed just before a rotation can live.
  TokenService(std::string key, std::chrono::seconds ttl, const core::Clock& clock,
               std::optional<std::chrono::seconds> previous_key_overlap = std::nullopt);

  IssuedToken Issue(const Principal& principal) const;
  // kUnauthenticated for anything but a well-formed, correctly signed, unexpired token.
  core::Result<Principal> Verify(std::string_view token) const;

  // Makes `key` (32+ bytes, else kInvalidArgument) the signing key. Returns
  // true when it replaced a different key, false when it is the current one.
  core::Result<bool> Rotate(std::string key);
  // The "kid" new tokens carry.
  std::string CurrentKeyId() const;

  // Called (from Verify's thread, outside any lock) when a token names a kid
  // that is neither the current nor the previous key's: another instance may
  // have rotated first. The handler must be quick and must not block; set it
  // before Verify is called concurrently.
  void OnUnknownKeyId(std::function<void()> handler) { on_unknown_kid_ = std::move(handler); }

  // The key id of `key`: 16 characters of base64url SHA-256, which reveal nothing usable about the key.
  static std::string KeyId(std::string_view key);

 private:
  struct Key {
    std::string secret;
    std::string id;
  };

  std::chrono::seconds ttl_;
  std::chrono::seconds overlap_;
  const core::Clock& clock_;
  mutable std::mutex mutex_;  // guards the keys below
  Key current_;
  std::optional<Key> previous_;
  std::chrono::system_clock::time_point previous_until_;  // previous_ verifies until then
  std::function<void()> on_unknown_kid_;
};

}  // namespace salesboost::identity
